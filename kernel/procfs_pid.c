/*
 * /proc/PID: one directory per task, as Linux's procfs has, made up at
 * each lookup from the task list (nothing is kept per task).  What
 * BusyBox's ps reads:
 *
 *   /proc/PID          a directory: stat and cmdline
 *   /proc/PID/stat     Linux's one line: "pid (comm) state ppid pgrp
 *                      session tty_nr tpgid ..." with its 52 fields;
 *                      those Spoor does not count are 0
 *   /proc/PID/cmdline  the argv strings, each NUL-ended, read from the
 *                      task's stack; empty for a zombie, as on Linux
 *
 * Listing /proc shows the pids after /proc's own files (see
 * procfs_pid_list).  Only the plain spellings name these files:
 * "/proc/7", "/proc/7/", "/proc/7/stat" (paths reach here absolute,
 * but not cleaned of "." or "//" inside).
 */
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/format.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>

#define PROC_PREFIX	"/proc/"
#define STAT_MAX	512		/* one line of 52 short fields */
#define PROC_CMDLINE_MAX	PAGE_SIZE	/* Linux too shows one page */
/* Inode numbers far above the initramfs's (its index + 1). */
#define PID_INO(pid, k)	(0x100000UL + 4UL * (unsigned long)(pid) + (k))
/* Directory positions of the pid entries in /proc: past the table's. */
#define PID_POS_BASE	0x1000000UL

enum { PID_DIR, PID_STAT, PID_CMDLINE };

/* The files of a /proc/PID directory, by kind. */
static const char *const pid_files[] = {
	[PID_STAT] = "stat",
	[PID_CMDLINE] = "cmdline",
};

/*
 * Split @path as "/proc/PID[/NAME]": 1 with *@pid and *@name ("" for
 * the directory itself), 0 if @path is not under a pid directory.
 * NAME may end in '/' (the caller's check).
 */
static int parse(const char *path, pid_t *pid, const char **name)
{
	const char *p = path + sizeof(PROC_PREFIX) - 1;
	long v = 0;

	if (strncmp(path, PROC_PREFIX, sizeof(PROC_PREFIX) - 1))
		return 0;
	if (*p < '1' || *p > '9')		/* no pid 0, no "007" */
		return 0;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > PID_MAX)
			return 0;
	if (*p && *p != '/')
		return 0;
	while (*p == '/')
		p++;
	*pid = v;
	*name = p;
	return 1;
}

int procfs_pid_path(const char *path)
{
	const char *name;
	pid_t pid;

	return parse(path, &pid, &name);
}

/*
 * The task and file kind @path names: PID_DIR, PID_STAT, PID_CMDLINE,
 * or -ENOENT (no such task or file), -ENOTDIR ("stat/").
 */
static int lookup(const char *path, struct task_struct **tp)
{
	const char *name;
	unsigned k;
	pid_t pid;

	if (!parse(path, &pid, &name))
		return -ENOENT;
	*tp = find_task(pid);
	if (!*tp)
		return -ENOENT;
	if (!*name)
		return PID_DIR;
	for (k = PID_STAT; k < ARRAY_SIZE(pid_files); k++) {
		size_t len = strlen(pid_files[k]);

		if (strncmp(name, pid_files[k], len))
			continue;
		if (!name[len])
			return k;
		if (name[len] == '/')
			return -ENOTDIR;
	}
	return -ENOENT;
}

/* --- the files' text --------------------------------------------------- */

/* The console's number and foreground group for @t, as Linux's stat. */
static void stat_tty(const struct task_struct *t, int *tty_nr, pid_t *tpgid)
{
	*tpgid = tty_foreground(t->sid);
	*tty_nr = *tpgid > 0 ? TTYS0_RDEV : 0;
}

/*
 * Linux's fs/proc/array.c do_task_stat, field for field: 52 of them.
 * vsize and rss are the mapped user pages; the times, fault counts
 * and addresses Spoor does not keep are 0.
 */
static size_t stat_text(struct task_struct *t, char *buf, size_t size)
{
	unsigned long pages = t->mm ? t->mm->pages : 0;
	int tty_nr;
	pid_t tpgid;

	stat_tty(t, &tty_nr, &tpgid);
	return snprintf(buf, size,
			"%d (%s) %c %d %d %d %d %d 0 "	/* 1-9: .. flags */
			"0 0 0 0 0 0 0 0 "	/* 10-17: faults, times */
			"20 0 1 0 0 "		/* 18-22: prio .. start */
			"%lu %lu 4294967295 "	/* 23-25: vsize, rss, lim */
			"0 0 0 0 0 "		/* 26-30: code, stack */
			"0 0 0 0 0 0 0 "	/* 31-37: signals .. swap */
			"17 0 0 0 0 0 0 "	/* 38-44: exit_signal .. */
			"0 0 0 0 0 0 0 0\n",	/* 45-52: .. exit_code */
			t->pid, t->comm, procfs_state_letter(t),
			t->real_parent ? t->real_parent->pid : 0, t->pgid,
			t->sid, tty_nr, tpgid, pages * PAGE_SIZE, pages);
}

/* The argv strings exec put at the top of @t's stack. */
static size_t cmdline_text(struct task_struct *t, char *buf, size_t size)
{
	size_t len;

	if (!t->mm || t->mm->arg_end <= t->mm->arg_start)
		return 0;
	len = MIN(t->mm->arg_end - t->mm->arg_start, size);
	return access_process_vm(t, t->mm->arg_start, buf, len, 0);
}

static int open_pid_file(struct task_struct *t, int kind, struct file **fp)
{
	size_t max = kind == PID_STAT ? STAT_MAX : PROC_CMDLINE_MAX;
	char *text = kmalloc(max);
	size_t len;

	if (!text)
		return -ENOMEM;
	if (kind == PID_STAT)
		len = MIN(stat_text(t, text, max), max - 1);
	else
		len = cmdline_text(t, text, max);
	return procfs_open_text(text, len, fp);
}

/* --- the directory ----------------------------------------------------- */

/* A pid directory's listing: kind k (PID_STAT, ...) at position k + 1. */
static const char *const pid_dir_names[] = { ".", "..", "stat", "cmdline" };

static int pid_dir_getdents(struct file *f, void *ubuf, size_t n, int is64)
{
	pid_t pid = (pid_t)(uintptr_t)f->priv;
	size_t used = 0;
	long len;

	for (; f->pos < (off_t)ARRAY_SIZE(pid_dir_names); f->pos++) {
		int is_dir = f->pos < 2;	/* "..": /proc, shown as "." */
		int kind = is_dir ? PID_DIR : f->pos - 1;

		len = dirent_put((char *)ubuf + used, n - used,
				 PID_INO(pid, kind), f->pos + 1,
				 pid_dir_names[f->pos],
				 is_dir ? DT_DIR : DT_REG, is64);
		if (len <= 0) {
			if (used)
				break;
			return len ? len : -EINVAL;	/* buffer too small */
		}
		used += len;
	}
	return used;
}

static const struct file_ops pid_dir_ops = {
	.getdents = pid_dir_getdents,
	.lseek = memfile_lseek,
};

int procfs_pid_open(const char *path, int flags, struct file **fp)
{
	struct task_struct *t;
	int kind = lookup(path, &t), err;

	if (kind < 0)
		return kind;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
		return kind == PID_DIR ? -EISDIR : -EACCES;
	if (kind == PID_DIR) {
		*fp = file_alloc(&pid_dir_ops, flags,
				 (void *)(uintptr_t)t->pid);
		if (!*fp)
			return -ENOMEM;
		(*fp)->mode = S_IFDIR | 0555;
	} else {
		if (flags & O_DIRECTORY)
			return -ENOTDIR;
		err = open_pid_file(t, kind, fp);
		if (err)
			return err;
		(*fp)->flags = flags;
		(*fp)->mode = S_IFREG | 0444;
	}
	(*fp)->ino = PID_INO(t->pid, kind);
	return 0;
}

int procfs_pid_stat(const char *path, struct kstat *st)
{
	struct task_struct *t;
	int kind = lookup(path, &t);

	if (kind < 0)
		return kind;
	memset(st, 0, sizeof(*st));
	st->mode = kind == PID_DIR ? S_IFDIR | 0555 : S_IFREG | 0444;
	st->ino = PID_INO(t->pid, kind);
	st->nlink = kind == PID_DIR ? 2 : 1;
	return 0;
}

unsigned long procfs_pid_list(unsigned long pos, char *name, size_t size,
			      unsigned long *ino)
{
	unsigned long from = pos > PID_POS_BASE ? pos - PID_POS_BASE : 0;
	struct task_struct *t;
	pid_t best = 0;

	/* The tasks find_task finds: a dead one is being freed. */
	list_for_each_entry(t, &all_tasks, tasks)
		if (t->pid > 0 && (unsigned long)t->pid >= from &&
		    t->state != TASK_DEAD && (!best || t->pid < best))
			best = t->pid;
	if (!best)
		return 0;
	snprintf(name, size, "%d", best);
	*ino = PID_INO(best, PID_DIR);
	return PID_POS_BASE + best + 1;
}
