/*
 * orphan: a child whose parent has exited gets a new parent (not the
 * dead one, not us), and is no longer waitable by its grandparent.
 * Who adopts it is left out: pid 1 on Spoor, perhaps a subreaper on the
 * host.
 */
#include "conf.h"

int main(void)
{
	int go[2], report[2];
	pid_t child, gc = 0, info[2] = { 0, 0 };
	char c;

	conf_init();
	pipe(go);
	pipe(report);
	child = fork();
	if (child == 0) {
		pid_t g = fork();

		if (g == 0) {
			read(go[0], &c, 1);	/* until our parent is gone */
			info[0] = getppid();
			write(report[1], info, sizeof(info));
			_exit(0);
		}
		write(report[1], &g, sizeof(g));
		_exit(0);
	}
	read(report[0], &gc, sizeof(gc));
	wait_say("middle child", child, 0);
	write(go[1], "g", 1);
	read(report[0], info, sizeof(info));
	say("orphan's new parent is not the dead one: %s",
	    yes(info[0] != child));
	say("nor us: %s", yes(info[0] != getpid()));
	say("the orphan is adopted by a live process: %s", yes(info[0] > 0));
	TRY("waitpid(orphan)", waitpid(gc, NULL, 0));
	return 0;
}
