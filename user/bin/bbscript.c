/*
 * bbscript: run the BusyBox layer's script (/etc/busybox-test.sh)
 * through Debian's BusyBox ash, as `run=/bin/bbscript` can (run=
 * takes no arguments).  Its output is compared with the same script
 * under qemu-i386 on the host (tests/harness/busybox.py).
 */
#include <unistd.h>

int main(void)
{
	char *const argv[] = { "sh", "/etc/busybox-test.sh", NULL };

	execv("/bin/busybox", argv);
	return 127;
}
