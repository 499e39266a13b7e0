/*
 * The C half of program start-up.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp);
void __libc_start(long *sp) __attribute__((noreturn));

/* The program's name for messages: argv[0] without its directory. */
const char *__progname = "";

/*
 * Called by _start with @sp pointing at argc on the initial stack:
 * find argv and envp there, publish environ, run main, exit with its
 * return value.
 */
void __libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char *slash;

	environ = argv + argc + 1;
	if (argc > 0 && argv[0]) {
		slash = strrchr(argv[0], '/');
		__progname = slash ? slash + 1 : argv[0];
	}
	exit(main(argc, argv, environ));
}
