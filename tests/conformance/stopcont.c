/*
 * stopcont: SIGSTOP and SIGCONT as wait reports them (WUNTRACED,
 * WCONTINUED, once each), what a stopped process does with other
 * signals, and that it runs no handler until continued.
 */
#include "conf.h"

static int report_fd = -1;

static void write_b(int sig)
{
	(void)sig;
	write(report_fd, "B", 1);
}

static void write_c(int sig)
{
	(void)sig;
	write(report_fd, "C", 1);
}

static pid_t pausing_child(void)
{
	pid_t pid = fork();

	if (pid == 0)
		pause_forever();
	return pid;
}

static void reported_once(void)
{
	int st;
	pid_t pid = pausing_child();

	TRY("kill(child, SIGSTOP)", kill(pid, SIGSTOP));
	wait_say("waitpid(WUNTRACED)", pid, WUNTRACED);
	TRY("again, WUNTRACED|WNOHANG", waitpid(pid, &st, WUNTRACED | WNOHANG));
	TRY("kill(child, SIGCONT)", kill(pid, SIGCONT));
	wait_say("waitpid(WCONTINUED)", pid, WCONTINUED);
	TRY("again, WCONTINUED|WNOHANG",
	    waitpid(pid, &st, WCONTINUED | WNOHANG));
	kill(pid, SIGCONT);	/* not stopped: nothing to report */
	sleep_ms(50);
	TRY("SIGCONT while running, WCONTINUED|WNOHANG",
	    waitpid(pid, &st, WCONTINUED | WNOHANG));
	kill(pid, SIGKILL);
	wait_say("killed", pid, 0);
}

static void needs_the_flags(void)
{
	int st;
	pid_t pid = pausing_child();

	kill(pid, SIGSTOP);
	sleep_ms(50);
	TRY("stopped, plain WNOHANG", waitpid(pid, &st, WNOHANG));
	TRY("stopped, WCONTINUED|WNOHANG",
	    waitpid(pid, &st, WCONTINUED | WNOHANG));
	wait_say("then WUNTRACED", pid, WUNTRACED);
	kill(pid, SIGCONT);
	sleep_ms(50);
	TRY("continued, WUNTRACED|WNOHANG",
	    waitpid(pid, &st, WUNTRACED | WNOHANG));
	wait_say("then WCONTINUED", pid, WCONTINUED);
	kill(pid, SIGKILL);
	wait_say("killed", pid, 0);
}

static void signals_while_stopped(void)
{
	int st;
	pid_t pid = pausing_child();

	kill(pid, SIGSTOP);
	wait_say("stopped", pid, WUNTRACED);
	kill(pid, SIGKILL);
	wait_say("SIGKILL while stopped", pid, 0);

	pid = pausing_child();
	kill(pid, SIGSTOP);
	wait_say("stopped", pid, WUNTRACED);
	kill(pid, SIGTERM);
	sleep_ms(50);
	TRY("SIGTERM while stopped, WNOHANG", waitpid(pid, &st, WNOHANG));
	kill(pid, SIGCONT);
	wait_say("after SIGCONT", pid, 0);
}

/*
 * The child's SIGUSR1 handler writes 'B', its SIGCONT handler 'C'; we
 * write 'A' while it is stopped, after sending SIGUSR1.
 */
static void handlers_wait_for_continue(void)
{
	char buf[4] = { 0 }, c;
	int fds[2];
	pid_t pid;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		report_fd = fds[1];
		set_handler(SIGUSR1, write_b, 0);
		set_handler(SIGCONT, write_c, 0);
		write(fds[1], "r", 1);
		pause_forever();
	}
	read(fds[0], &c, 1);
	kill(pid, SIGSTOP);
	wait_say("stopped", pid, WUNTRACED);
	kill(pid, SIGUSR1);
	sleep_ms(50);
	write(fds[1], "A", 1);
	kill(pid, SIGCONT);
	read(fds[0], buf, 1);
	while (read(fds[0], buf + 1, 1) < 0 && errno == EINTR)
		;
	while (read(fds[0], buf + 2, 1) < 0 && errno == EINTR)
		;
	say("first byte: %c (A: no handler ran while stopped)", buf[0]);
	say("then B and C: %s", yes((buf[1] == 'B' && buf[2] == 'C') ||
				    (buf[1] == 'C' && buf[2] == 'B')));
	kill(pid, SIGKILL);
	wait_say("killed", pid, 0);
	close(fds[0]);
	close(fds[1]);
}

static void cycles(void)
{
	int i, good = 0;
	pid_t pid = pausing_child();

	for (i = 0; i < 10; i++) {
		kill(pid, SIGSTOP);
		good += wait_quiet(pid, WUNTRACED) == (SIGSTOP << 8 | 0x7f);
		kill(pid, SIGCONT);
		good += wait_quiet(pid, WCONTINUED) == 0xffff;
	}
	say("10 stop/continue cycles, %d of 20 reports right", good);
	kill(pid, SIGKILL);
	wait_say("killed", pid, 0);
}

int main(void)
{
	conf_init();
	reported_once();
	needs_the_flags();
	signals_while_stopped();
	handlers_wait_for_continue();
	cycles();
	return 0;
}
