/*
 * pipe: order and partial reads, zero-length transfers, EOF once every
 * writer has gone, EPIPE and SIGPIPE once every reader has, sleepers
 * woken by either, 64 KiB between two processes.
 */
#include "conf.h"

#define BIG (64 * 1024)

static volatile int sigpipes;

static void count_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + 13 + (i >> 9));
}

static void basics(void)
{
	char buf[64] = { 0 };
	int fds[2], lowest;

	lowest = dup(0);	/* the lowest free fd */
	close(lowest);
	TRY("pipe", pipe(fds));
	say("fds are the two lowest free: %s",
	    yes(fds[0] == lowest && fds[1] == lowest + 1));
	TRY("write abc", write(fds[1], "abc", 3));
	TRY("write defg", write(fds[1], "defg", 4));
	TRY("read 64", read(fds[0], buf, sizeof(buf)));
	say("got: %s", buf);
	write(fds[1], "hijkl", 5);
	memset(buf, 0, sizeof(buf));
	TRY("read 2", read(fds[0], buf, 2));
	TRY("read 10", read(fds[0], buf + 2, 10));
	say("got: %s", buf);
	TRY("write 0 bytes", write(fds[1], buf, 0));
	TRY("read 0 bytes of an empty pipe", read(fds[0], buf, 0));
	TRY("read from the write end", read(fds[1], buf, 1));
	TRY("write to the read end", write(fds[0], "x", 1));
	TRY("close write end", close(fds[1]));
	TRY("read at EOF", read(fds[0], buf, 1));
	TRY("read at EOF again", read(fds[0], buf, 1));
	close(fds[0]);
}

/* EOF waits for the child's copy of the write end, and a dup's. */
static void eof_needs_all_writers(void)
{
	char buf[16] = { 0 };
	int fds[2], gate[2], extra;
	pid_t pid;

	pipe(fds);
	pipe(gate);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		close(gate[1]);
		read(gate[0], buf, 1);	/* our turn */
		sleep_ms(50);
		write(fds[1], "late", 4);
		_exit(0);
	}
	close(gate[0]);
	extra = dup(fds[1]);
	close(fds[1]);
	write(extra, "dup,", 4);
	close(extra);
	TRY("read", read(fds[0], buf, 4));
	say("got: %s", buf);
	write(gate[1], "g", 1);
	close(gate[1]);
	TRY("read (the child still writes)", read(fds[0], buf, 8));
	say("got: %s", buf);
	TRY("read after the child exits", read(fds[0], buf, 8));
	close(fds[0]);
	wait_say("child", pid, 0);
}

static void no_readers(void)
{
	int fds[2];
	pid_t pid;

	pipe(fds);
	close(fds[0]);
	set_handler(SIGPIPE, SIG_IGN, 0);
	TRY("write, no reader, SIGPIPE ignored", write(fds[1], "x", 1));
	set_handler(SIGPIPE, count_sigpipe, 0);
	TRY("write, no reader, SIGPIPE caught", write(fds[1], "x", 1));
	say("SIGPIPE handler runs: %d", sigpipes);
	set_handler(SIGPIPE, SIG_DFL, 0);
	close(fds[1]);

	pipe(fds);
	close(fds[0]);		/* before the fork: no reader anywhere */
	pid = fork();
	if (pid == 0) {
		write(fds[1], "x", 1);
		_exit(0);
	}
	close(fds[1]);
	wait_say("write, no reader, SIGPIPE default", pid, 0);
}

/* Sleepers wake when the other side goes away. */
static void sleepers_woken(void)
{
	static char chunk[4096];
	int fds[2];
	pid_t pid;
	char c;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		say("child: read on an empty pipe returns %d",
		    (int)read(fds[0], &c, 1));
		_exit(0);
	}
	close(fds[0]);
	sleep_ms(50);
	close(fds[1]);
	wait_say("reader woken by the last writer's close", pid, 0);

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		set_handler(SIGPIPE, SIG_IGN, 0);
		close(fds[0]);
		while (write(fds[1], chunk, sizeof(chunk)) > 0)
			;
		say("child: write on a full pipe ends with %s",
		    errno_name(errno));
		_exit(0);
	}
	close(fds[1]);
	sleep_ms(100);
	close(fds[0]);
	wait_say("writer woken by the last reader's close", pid, 0);
}

static void big_transfer(void)
{
	static unsigned char buf[5000];
	long off = 0, bad = 0, i;
	int fds[2];
	ssize_t r;
	pid_t pid;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		long n;

		close(fds[0]);
		for (off = 0; off < BIG; off += n) {
			n = BIG - off < 3000 ? BIG - off : 3000;
			for (i = 0; i < n; i++)
				buf[i] = pattern(off + i);
			if (write(fds[1], buf, n) != n)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	while ((r = read(fds[0], buf, 777 + off % 5000 / 2)) > 0) {
		for (i = 0; i < r; i++)
			bad += buf[i] != pattern(off + i);
		off += r;
	}
	close(fds[0]);
	say("64 KiB through a pipe: %ld bytes, %ld wrong", off, bad);
	wait_say("writer", pid, 0);
}

int main(void)
{
	conf_init();
	basics();
	eof_needs_all_writers();
	no_readers();
	sleepers_woken();
	big_transfer();
	return 0;
}
