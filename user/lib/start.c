/*
 * The C half of program start-up.
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp);
void __libc_start(long *sp) __attribute__((noreturn));

/*
 * Called by _start with @sp pointing at argc on the initial stack:
 * find argv and envp there, publish environ, run main, exit with its
 * return value.
 */
void __libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	environ = argv + argc + 1;
	exit(main(argc, argv, environ));
}
