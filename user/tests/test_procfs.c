/*
 * test_procfs: /proc/PID as Linux programs read it (BusyBox ps first).
 *  - /proc/PID/stat: "pid (comm) state ppid pgrp session tty_nr tpgid"
 *    then the rest of Linux's 52 fields;
 *  - the state letter follows the task: R running, T stopped, Z zombie;
 *  - /proc/PID/cmdline: the argv strings, each NUL-ended;
 *  - /proc lists the pids of live tasks, not of reaped ones;
 *  - stat and open: a directory per pid, ENOENT past the end, ENOTDIR
 *    below a file;
 *  - `busybox ps` shows this process by pid and name.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "utest.h"

#define STAT_FIELDS	52

static char *path_env[] = { "PATH=/bin:/usr/bin", NULL };

/* /proc/@pid/@name into @buf; its length or -1. */
static long read_proc(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return ut_read_file(path, buf, size);
}

/* The state letter of /proc/@pid/stat, 0 if unreadable. */
static int stat_state(pid_t pid)
{
	char buf[1024], *p;

	if (read_proc(pid, "stat", buf, sizeof(buf)) < 0)
		return 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Is @pid a name in /proc? */
static int proc_lists(pid_t pid)
{
	char want[16];
	struct dirent *de;
	DIR *dir = opendir("/proc");
	int found = 0;

	snprintf(want, sizeof(want), "%d", (int)pid);
	while (dir && (de = readdir(dir)))
		found |= !strcmp(de->d_name, want);
	if (dir)
		closedir(dir);
	return found;
}

/* Field @k (1-based) of /proc/@pid/stat, as a number; -2 if unreadable. */
static long stat_field(pid_t pid, int k)
{
	char buf[1024];
	const char *p;

	if (read_proc(pid, "stat", buf, sizeof(buf)) < 0 ||
	    !(p = strrchr(buf, ')')))
		return -2;
	for (p += 2, k -= 3; k > 0 && (p = strchr(p, ' ')); k--)
		p++;				/* p: field 3 + (k - 3) */
	return p ? ut_parse_long(&p) : -2;
}

/* In a child: are our fields 7 and 8 (tty_nr, tpgid) right?  0 if so. */
static int check_tty_fields(void *arg)
{
	pid_t fg = tcgetpgrp(0), me = getpid();

	(void)arg;
	if (fg < 0)
		fg = -1;			/* no controlling terminal */
	if (stat_field(me, 8) != fg)
		return 1;
	return (stat_field(me, 7) != 0) != (fg > 0) ? 2 : 0;
}

static int setsid_check_tty_fields(void *arg)
{
	return setsid() < 0 ? 3 : check_tty_fields(arg);
}

/* Our own line: the identity fields, then 52 fields in all. */
static void stat_fields(struct kt_test *t)
{
	char buf[1024], want[128], *p;
	int n = 0;

	KT_ASSERT_GT(t, read_proc(getpid(), "stat", buf, sizeof(buf)), 0);
	kt_log(t, "%s", buf);
	snprintf(want, sizeof(want), "%d (test_procfs) R %d %d %d ",
		 (int)getpid(), (int)getppid(), (int)getpgrp(), (int)getsid(0));
	KT_EXPECT_TRUE(t, !strncmp(buf, want, strlen(want)));
	for (p = buf; *p; p++)
		n += *p == ' ';
	KT_EXPECT_EQ(t, n + 1, STAT_FIELDS);
	KT_EXPECT_EQ(t, buf[strlen(buf) - 1], '\n');
	/* vsize and rss: the pages mapped, in bytes and in pages. */
	KT_EXPECT_GT(t, stat_field(getpid(), 24), 0);
	KT_EXPECT_EQ(t, stat_field(getpid(), 23),
		     stat_field(getpid(), 24) * (long)UT_PAGE);
}

/* tty_nr and tpgid: the console's, and none after setsid. */
static void stat_tty(struct kt_test *t)
{
	KT_EXPECT_GT(t, tcgetpgrp(0), 0);	/* run by init on the console */
	UT_EXPECT_EXITED(t, ut_run(check_tty_fields, NULL), 0);
	UT_EXPECT_EXITED(t, ut_run(setsid_check_tty_fields, NULL), 0);
}

/* The state letter of a child: T while stopped, Z once it exited. */
static void stat_states(struct kt_test *t)
{
	pid_t pid = ut_spawn(ut_pause_forever, NULL);

	KT_ASSERT_GT(t, pid, 0);
	kill(pid, SIGSTOP);
	KT_EXPECT_EQ(t, ut_wait(pid, WUNTRACED) & 0xff, 0x7f);
	KT_EXPECT_EQ(t, stat_state(pid), 'T');
	KT_EXPECT_TRUE(t, proc_lists(pid));
	kill(pid, SIGKILL);
	KT_EXPECT_TRUE(t, ut_wait_zombie(pid));
	KT_EXPECT_EQ(t, stat_state(pid), 'Z');
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
	KT_EXPECT_EQ(t, stat_state(pid), 0);
	KT_EXPECT_FALSE(t, proc_lists(pid));
}

/* A child exec'd with three arguments (spin ignores them): its cmdline. */
static void cmdline(struct kt_test *t)
{
	static const char want[] = "spin\0-x\0two words\0";
	char *argv[] = { "spin", "-x", "two words", NULL };
	char buf[128];
	pid_t pid = fork();
	long n;
	int ms;

	if (pid == 0) {
		execve("/bin/spin", argv, path_env);
		_exit(127);
	}
	KT_ASSERT_GT(t, pid, 0);
	for (ms = 0; ms < UT_POLL_MS; ms += 10) {	/* until it exec'd */
		n = read_proc(pid, "cmdline", buf, sizeof(buf));
		if (n == sizeof(want) - 1 && !memcmp(buf, want, n))
			break;
		ut_sleep_ms(10);
	}
	KT_EXPECT_EQ(t, n, (long)sizeof(want) - 1);
	KT_EXPECT_TRUE(t, n > 0 && !memcmp(buf, want, n));
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* A forked child runs our program with our arguments: our cmdline. */
static void cmdline_forked(struct kt_test *t)
{
	char mine[256], its[256];
	pid_t pid = ut_spawn(ut_pause_forever, NULL);
	long n;

	KT_ASSERT_GT(t, pid, 0);
	n = read_proc(getpid(), "cmdline", mine, sizeof(mine));
	KT_EXPECT_GT(t, n, 0);
	KT_EXPECT_STREQ(t, mine, "/bin/test_procfs");
	KT_EXPECT_EQ(t, read_proc(pid, "cmdline", its, sizeof(its)), n);
	KT_EXPECT_TRUE(t, n > 0 && !memcmp(its, mine, n));
	kill(pid, SIGKILL);
	UT_EXPECT_KILLED(t, ut_wait(pid, 0), SIGKILL);
}

/* What stat, open and a listing say of the names below /proc/PID. */
static void names(struct kt_test *t)
{
	char path[64], buf[16];
	struct stat st;
	struct dirent *de;
	DIR *dir;
	int seen = 0;

	snprintf(path, sizeof(path), "/proc/%d", (int)getpid());
	KT_ASSERT_EQ(t, stat(path, &st), 0);
	KT_EXPECT_TRUE(t, S_ISDIR(st.st_mode));
	strcat(path, "/");
	KT_EXPECT_EQ(t, stat(path, &st), 0);
	strcat(path, "stat");
	KT_ASSERT_EQ(t, stat(path, &st), 0);
	KT_EXPECT_TRUE(t, S_ISREG(st.st_mode));
	strcat(path, "/");
	UT_EXPECT_ERR(t, stat(path, &st), ENOTDIR);
	UT_EXPECT_ERR(t, open("/proc/32768/stat", O_RDONLY), ENOENT);
	snprintf(path, sizeof(path), "/proc/%d/nothing", (int)getpid());
	UT_EXPECT_ERR(t, open(path, O_RDONLY), ENOENT);
	snprintf(path, sizeof(path), "/proc/%dstat", (int)getpid());
	UT_EXPECT_ERR(t, open(path, O_RDONLY), ENOENT);
	KT_EXPECT_EQ(t, read_proc(getpid(), "stat", buf, sizeof(buf)), 15);

	snprintf(path, sizeof(path), "/proc/%d", (int)getpid());
	dir = opendir(path);
	KT_ASSERT_TRUE(t, dir != NULL);
	while ((de = readdir(dir)))
		seen |= (!strcmp(de->d_name, "stat")) |
			(!strcmp(de->d_name, "cmdline")) << 1;
	closedir(dir);
	KT_EXPECT_EQ(t, seen, 3);
	KT_EXPECT_TRUE(t, proc_lists(1));
	KT_EXPECT_TRUE(t, proc_lists(getpid()));
}

/* `busybox ps`: a line with our pid and our program. */
static void busybox_ps(struct kt_test *t)
{
	char *argv[] = { "busybox", "ps", NULL };
	static char out[4096];
	char want[32], *line;
	int found = 0;

	if (access("/bin/busybox", X_OK) < 0)
		KT_SKIP(t, "no /bin/busybox");
	UT_EXPECT_EXITED(t,
			 ut_run_capture("/bin/busybox", argv, path_env, out,
					sizeof(out)),
			 0);
	kt_log(t, "%s", out);
	snprintf(want, sizeof(want), "%d ", (int)getpid());
	for (line = out; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		while (*line == ' ')
			line++;
		if (!strncmp(line, want, strlen(want)) &&
		    strstr(line, "test_procfs"))
			found = 1;
	}
	KT_EXPECT_TRUE(t, found);
	KT_EXPECT_TRUE(t, strstr(out, "busybox ps") != NULL);
}

/* One case a line, as in every suite. */
/* clang-format off */
KT_SUITE(procfs_suite, "procfs",
	 KT_CASE(stat_fields),
	 KT_CASE(stat_tty),
	 KT_CASE(stat_states),
	 KT_CASE(cmdline),
	 KT_CASE(cmdline_forked),
	 KT_CASE(names),
	 KT_CASE(busybox_ps));
/* clang-format on */

int main(void)
{
	ut_reset_signals();
	return kt_main();
}
