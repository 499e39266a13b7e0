/*
 * spin - loop forever, printing nothing, until killed. A busy process for
 * ps, kill, the scheduler and attaching tracers.
 */
int main(void)
{
	volatile unsigned long count = 0;

	for (;;)
		count++;
}
