/*
 * test_pipe: pipes (order, partial reads, EOF once every writer is
 * gone, EPIPE and SIGPIPE once every reader is gone, 64 KiB between
 * processes both ways, atomic small writes, fd limits) and the fd
 * table (dup, dup2, lowest free fd, shared offsets, directories).
 */
#include <dirent.h>

#include "utest.h"

#define BIG		(64 * 1024)
#define MOTD		"/etc/motd"

/* Bytes arrive in the order written; a read takes what is there. */
static void pipe_order_and_partial_read(struct kt_test *t)
{
	char buf[100] = { 0 };
	int fds[2];

	KT_ASSERT_EQ(t, pipe(fds), 0);
	KT_EXPECT_GE(t, fds[0], 0);
	KT_EXPECT_GE(t, fds[1], 0);
	KT_EXPECT_NE(t, fds[0], fds[1]);
	KT_EXPECT_EQ(t, write(fds[1], "abc", 3), 3);
	KT_EXPECT_EQ(t, write(fds[1], "defg", 4), 4);
	KT_EXPECT_EQ(t, read(fds[0], buf, sizeof(buf)), 7);
	KT_EXPECT_STREQ(t, buf, "abcdefg");
	KT_EXPECT_EQ(t, write(fds[1], "hijkl", 5), 5);
	memset(buf, 0, sizeof(buf));
	KT_EXPECT_EQ(t, read(fds[0], buf, 2), 2);
	KT_EXPECT_EQ(t, read(fds[0], buf + 2, 10), 3);
	KT_EXPECT_STREQ(t, buf, "hijkl");
	/* Zero-length transfers neither block nor fail. */
	KT_EXPECT_EQ(t, read(fds[0], buf, 0), 0);
	KT_EXPECT_EQ(t, write(fds[1], buf, 0), 0);
	close(fds[0]);
	close(fds[1]);
}

/* EOF comes only when every write end, in every process, is closed. */
static void pipe_eof_after_all_writers(struct kt_test *t)
{
	char buf[8] = { 0 };
	int fds[2], gate[2], extra;
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	KT_ASSERT_EQ(t, pipe(gate), 0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		close(gate[1]);
		read(gate[0], buf, 1);	/* our turn */
		write(fds[1], "late", 4);
		_exit(0);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(gate[0]);
	extra = dup(fds[1]);
	KT_ASSERT_GE(t, extra, 0);
	close(fds[1]);
	KT_EXPECT_EQ(t, write(extra, "dup", 3), 3);
	close(extra);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], buf, 3), 3);
	/* Only the child's copy is left: data first, then EOF at its exit. */
	write(gate[1], "g", 1);
	close(gate[1]);
	KT_EXPECT_EQ(t, ut_read_full(fds[0], buf + 3, 4), 4);
	KT_EXPECT_STREQ(t, buf, "duplate");
	KT_EXPECT_EQ(t, read(fds[0], buf, 1), 0);
	KT_EXPECT_EQ(t, read(fds[0], buf, 1), 0);
	close(fds[0]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
}

/* A reader asleep on an empty pipe wakes with EOF when writers go. */
static void pipe_blocked_reader_gets_eof(struct kt_test *t)
{
	int fds[2];
	pid_t pid;
	char c;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[0]);
	ut_sleep_ms(50);	/* let it block */
	close(fds[1]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
}

/* No reader: EPIPE when SIGPIPE is ignored, and the handler runs too. */
static volatile int pipe_signals;

static void count_sigpipe(int sig)
{
	(void)sig;
	pipe_signals++;
}

static void pipe_epipe(struct kt_test *t)
{
	int fds[2];

	KT_ASSERT_EQ(t, pipe(fds), 0);
	close(fds[0]);
	KT_ASSERT_EQ(t, ut_handle(SIGPIPE, SIG_IGN, 0), 0);
	UT_EXPECT_ERR(t, write(fds[1], "x", 1), EPIPE);
	KT_ASSERT_EQ(t, ut_handle(SIGPIPE, count_sigpipe, 0), 0);
	pipe_signals = 0;
	UT_EXPECT_ERR(t, write(fds[1], "x", 1), EPIPE);
	KT_EXPECT_EQ(t, pipe_signals, 1);
	ut_handle(SIGPIPE, SIG_DFL, 0);
	close(fds[1]);
}

/* With SIGPIPE at its default, writing to a reader-less pipe kills. */
static void pipe_sigpipe_kills(struct kt_test *t)
{
	int fds[2];
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	close(fds[0]);		/* before the fork: no reader anywhere */
	pid = fork();
	if (pid == 0) {
		write(fds[1], "x", 1);
		_exit(0);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGPIPE);
}

/* A writer blocked on a full pipe wakes with EPIPE when readers go. */
static void pipe_blocked_writer_gets_epipe(struct kt_test *t)
{
	static char chunk[4096];
	int fds[2];
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		ut_handle(SIGPIPE, SIG_IGN, 0);
		close(fds[0]);
		for (;;) {
			if (write(fds[1], chunk, sizeof(chunk)) < 0)
				_exit(errno == EPIPE ? 0 : 1);
		}
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	ut_sleep_ms(100);	/* the pipe fills, the child blocks */
	close(fds[0]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
}

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + 13 + (i >> 9));
}

/* Write BIG pattern bytes to @fd in uneven chunks; 0 if all went. */
static int send_pattern(int fd)
{
	static const int sizes[] = { 1, 100, 4097, 3000, 511, 8192, 77 };
	static unsigned char buf[8192];
	long off = 0, n, i;
	int k = 0;

	while (off < BIG) {
		n = sizes[k++ % 7];
		if (n > BIG - off)
			n = BIG - off;
		for (i = 0; i < n; i++)
			buf[i] = pattern(off + i);
		if (ut_write_full(fd, buf, n) != n)
			return 1;
		off += n;
	}
	return 0;
}

/* Read BIG pattern bytes from @fd in other uneven chunks, then EOF. */
static long recv_pattern(int fd, long *bad)
{
	static const int sizes[] = { 777, 1, 4096, 10000, 33 };
	static unsigned char buf[10000];
	long off = 0, i;
	ssize_t r;
	int k = 0;

	*bad = 0;
	for (;;) {
		r = read(fd, buf, sizes[k++ % 5]);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (i = 0; i < r; i++)
			*bad += buf[i] != pattern(off + i);
		off += r;
	}
	return off;
}

static void pipe_64k_child_to_parent(struct kt_test *t)
{
	long got, bad;
	int fds[2];
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(send_pattern(fds[1]));
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[1]);
	got = recv_pattern(fds[0], &bad);
	close(fds[0]);
	KT_EXPECT_EQ(t, got, BIG);
	KT_EXPECT_EQ(t, bad, 0);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
}

static void pipe_64k_parent_to_child(struct kt_test *t)
{
	int fds[2];
	pid_t pid;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		long bad, got;

		close(fds[1]);
		got = recv_pattern(fds[0], &bad);
		_exit(got == BIG && bad == 0 ? 0 : 1);
	}
	KT_ASSERT_GT(t, pid, 0);
	close(fds[0]);
	KT_EXPECT_EQ(t, send_pattern(fds[1]), 0);
	close(fds[1]);
	UT_EXPECT_EXITED(t, ut_wait(pid, 0), 0);
}

/*
 * Writes of at most PIPE_BUF bytes (POSIX: at least 512) are atomic:
 * three writers' 64-byte records never interleave.
 */
#define REC		64
#define RECS		200
#define WRITERS		3

static void pipe_small_writes_atomic(struct kt_test *t)
{
	static unsigned char stream[WRITERS * RECS * REC];
	int next[WRITERS] = { 0 }, fds[2], i, j, bad = 0;
	unsigned char *r;
	pid_t pids[WRITERS];
	long got;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			unsigned char rec[REC];

			close(fds[0]);
			for (j = 0; j < RECS; j++) {
				memset(rec, 'A' + i, REC);
				rec[1] = (unsigned char)j;
				if (write(fds[1], rec, REC) != REC)
					_exit(1);
				if (j % 16 == 0)
					sched_yield();
			}
			_exit(0);
		}
		KT_ASSERT_GT(t, pids[i], 0);
	}
	close(fds[1]);
	got = ut_read_full(fds[0], stream, sizeof(stream));
	close(fds[0]);
	KT_EXPECT_EQ(t, got, (long)sizeof(stream));
	for (r = stream; r < stream + got; r += REC) {
		int w = r[0] - 'A';

		if (w < 0 || w >= WRITERS || r[1] != next[w]) {
			bad++;
			continue;
		}
		next[w]++;
		for (j = 2; j < REC; j++)
			bad += r[j] != r[0];
	}
	KT_EXPECT_EQ(t, bad, 0);
	for (i = 0; i < WRITERS; i++)
		UT_EXPECT_EXITED(t, ut_wait(pids[i], 0), 0);
}

/* Creating and closing many pipes reuses the same lowest fds. */
static void pipe_fds_recycled(struct kt_test *t)
{
	int first[2], fds[2], i, same = 0;

	KT_ASSERT_EQ(t, pipe(first), 0);
	close(first[0]);
	close(first[1]);
	for (i = 0; i < 200; i++) {
		if (pipe(fds) < 0)
			break;
		same += fds[0] == first[0] && fds[1] == first[1];
		write(fds[1], "leftover", 8);	/* freed with the pipe */
		close(fds[0]);
		close(fds[1]);
	}
	KT_EXPECT_EQ(t, same, 200);
}

/* Running out of descriptors is EMFILE (or ENFILE), and recoverable. */
static void pipe_until_emfile(struct kt_test *t)
{
	static int fds[4096];
	int n = 0, i, err = 0, again[2];

	while (n + 2 <= (int)(sizeof(fds) / sizeof(fds[0]))) {
		if (pipe(fds + n) < 0) {
			err = errno;
			break;
		}
		n += 2;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	kt_log(t, "%d fds open at the limit", n);
	if (!err)
		KT_SKIP(t, "no descriptor limit within 4096 fds");
	KT_EXPECT_TRUE(t, err == EMFILE || err == ENFILE);
	KT_EXPECT_EQ(t, pipe(again), 0);
	close(again[0]);
	close(again[1]);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(pipe_suite, "pipe",
	 KT_CASE(pipe_order_and_partial_read),
	 KT_CASE(pipe_eof_after_all_writers),
	 KT_CASE(pipe_blocked_reader_gets_eof),
	 KT_CASE(pipe_epipe),
	 KT_CASE(pipe_sigpipe_kills),
	 KT_CASE(pipe_blocked_writer_gets_epipe),
	 KT_CASE(pipe_64k_child_to_parent),
	 KT_CASE(pipe_64k_parent_to_child),
	 KT_CASE(pipe_small_writes_atomic),
	 KT_CASE(pipe_fds_recycled),
	 KT_CASE(pipe_until_emfile));
/* clang-format on */

/* ---- fd: dup, dup2, close, shared offsets, directories --------------- */

/* dup and open take the lowest free descriptor. */
static void dup_takes_lowest(struct kt_test *t)
{
	int fds[2], d, fd;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	close(fds[0]);
	d = dup(fds[1]);
	KT_EXPECT_EQ(t, d, fds[0]);
	close(d);
	fd = open(MOTD, O_RDONLY);
	KT_EXPECT_EQ(t, fd, fds[0]);
	close(fd);
	close(fds[1]);
}

/* A dup shares the file offset with its original. */
static void dup_shares_offset(struct kt_test *t)
{
	char whole[6], a[3], b[3];
	int fd, d;

	KT_ASSERT_EQ(t, ut_read_file(MOTD, whole, sizeof(whole)), 5);
	fd = open(MOTD, O_RDONLY);
	KT_ASSERT_GE(t, fd, 0);
	d = dup(fd);
	KT_ASSERT_GE(t, d, 0);
	KT_EXPECT_EQ(t, read(fd, a, 3), 3);
	KT_EXPECT_EQ(t, read(d, b, 2), 2);
	KT_EXPECT_EQ(t, memcmp(a, whole, 3), 0);
	KT_EXPECT_EQ(t, memcmp(b, whole + 3, 2), 0);
	close(fd);
	close(d);
}

/* Reading a file to its end gives 0 from then on. */
static void read_file_to_eof(struct kt_test *t)
{
	static char buf[8192];
	long n, m;
	int fd;

	n = ut_read_file(MOTD, buf, sizeof(buf));
	KT_ASSERT_GT(t, n, 0);
	fd = open(MOTD, O_RDONLY);
	KT_ASSERT_GE(t, fd, 0);
	m = ut_read_full(fd, buf, sizeof(buf));
	KT_EXPECT_EQ(t, m, n);
	KT_EXPECT_EQ(t, read(fd, buf, 1), 0);
	KT_EXPECT_EQ(t, read(fd, buf, 1), 0);
	close(fd);
}

/* dup2 onto an open fd closes it first; onto itself it does nothing. */
static void dup2_replaces_target(struct kt_test *t)
{
	int a[2], b[2];
	char c;

	KT_ASSERT_EQ(t, pipe(a), 0);
	KT_ASSERT_EQ(t, pipe(b), 0);
	KT_EXPECT_EQ(t, dup2(a[1], a[1]), a[1]);
	KT_EXPECT_EQ(t, write(a[1], "1", 1), 1);
	/* b[1] becomes a second write end of a: b has no writer left. */
	KT_EXPECT_EQ(t, dup2(a[1], b[1]), b[1]);
	KT_EXPECT_EQ(t, read(b[0], &c, 1), 0);
	KT_EXPECT_EQ(t, write(b[1], "2", 1), 1);
	KT_EXPECT_EQ(t, read(a[0], &c, 1), 1);
	KT_EXPECT_EQ(t, c, '1');
	KT_EXPECT_EQ(t, read(a[0], &c, 1), 1);
	KT_EXPECT_EQ(t, c, '2');
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/* A failed dup2 leaves the target alone. */
static void dup2_bad_source_keeps_target(struct kt_test *t)
{
	int fds[2];
	char c;

	KT_ASSERT_EQ(t, pipe(fds), 0);
	UT_EXPECT_ERR(t, dup2(999, fds[1]), EBADF);
	UT_EXPECT_ERR(t, dup2(-1, fds[1]), EBADF);
	UT_EXPECT_ERR(t, dup2(fds[0], -1), EBADF);
	UT_EXPECT_ERR(t, dup2(fds[1], fds[1] + 1000000), EBADF);
	KT_EXPECT_EQ(t, write(fds[1], "k", 1), 1);
	KT_EXPECT_EQ(t, read(fds[0], &c, 1), 1);
	close(fds[0]);
	close(fds[1]);
}

/* Closing twice: the second close is EBADF. */
static void close_twice(struct kt_test *t)
{
	int fds[2];

	KT_ASSERT_EQ(t, pipe(fds), 0);
	KT_EXPECT_EQ(t, close(fds[0]), 0);
	UT_EXPECT_ERR(t, close(fds[0]), EBADF);
	KT_EXPECT_EQ(t, close(fds[1]), 0);
	UT_EXPECT_ERR(t, close(fds[1]), EBADF);
}

/* Is @name among the entries of directory @path? -1 if unreadable. */
static int dir_has(const char *path, const char *name)
{
	struct dirent *e;
	int found = 0;
	DIR *d;

	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	closedir(d);
	return found;
}

/* Directories list their entries; a file is not a directory. */
static void readdir_lists_entries(struct kt_test *t)
{
	KT_EXPECT_EQ(t, dir_has("/", "bin"), 1);
	KT_EXPECT_EQ(t, dir_has("/", "etc"), 1);
	KT_EXPECT_EQ(t, dir_has("/bin", "sh"), 1);
	KT_EXPECT_EQ(t, dir_has("/bin", "cat"), 1);
	KT_EXPECT_EQ(t, dir_has("/bin", "no-such-entry"), 0);
	KT_EXPECT_EQ(t, dir_has("/etc", "motd"), 1);
	if (ut_is_spoor())
		KT_EXPECT_EQ(t, dir_has("/bin", "test_pipe"), 1);
	errno = 0;
	KT_EXPECT_TRUE(t, opendir(MOTD) == NULL);
	KT_EXPECT_EQ(t, errno, ENOTDIR);
	errno = 0;
	KT_EXPECT_TRUE(t, opendir("/no-such-dir") == NULL);
	KT_EXPECT_EQ(t, errno, ENOENT);
}

/* Opening what is not there: ENOENT. */
static void open_missing(struct kt_test *t)
{
	UT_EXPECT_ERR(t, open("/no-such-file", O_RDONLY), ENOENT);
	UT_EXPECT_ERR(t, open("/bin/no-such-file", O_RDONLY), ENOENT);
	UT_EXPECT_ERR(t, open("", O_RDONLY), ENOENT);
}

KT_SUITE(fd_suite, "fd", KT_CASE(dup_takes_lowest), KT_CASE(dup_shares_offset),
	 KT_CASE(read_file_to_eof), KT_CASE(dup2_replaces_target),
	 KT_CASE(dup2_bad_source_keeps_target), KT_CASE(close_twice),
	 KT_CASE(readdir_lists_entries), KT_CASE(open_missing));

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
