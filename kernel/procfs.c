/*
 * /proc: read-only text files made at open.  The text is a snapshot
 * taken when the file is opened (a kmalloc'd copy that the file reads
 * from and frees on its last close), so a reader sees one consistent
 * state however small its reads.
 *
 *   /proc/tasks    "PID PPID STATE NAME", then one line per task
 *   /proc/meminfo  free_pages, total_pages, heap_bytes (for leak checks)
 *   /proc/bts      the BTS unit in use and the software unit's counters
 *   /proc/PID/     one directory per task: procfs_pid.c
 */
#include <stdarg.h>
#include <spoor/compiler.h>
#include <spoor/bts_unit.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/format.h>
#include <spoor/kmalloc.h>
#include <spoor/mm.h>
#include <spoor/printk.h>
#include <spoor/ptrace_bts.h>
#include <spoor/sched.h>
#include <spoor/string.h>

#define MEMINFO_MAX	128	/* three short lines */

/* ps's letters: t is a ptrace stop, T a job-control stop. */
static const char state_letter[] = {
	[TASK_RUNNING] = 'R',
	[TASK_INTERRUPTIBLE] = 'S',
	[TASK_STOPPED] = 'T',
	[TASK_TRACED] = 't',
	[TASK_ZOMBIE] = 'Z',
	[TASK_DEAD] = 'X',
};

/* --- text -------------------------------------------------------------- */

/*
 * snprintf at offset @len of @buf, which may already be full; returns
 * the new full length.  @buf may be NULL with @size 0 (measuring).
 */
static size_t appendf(char *buf, size_t size, size_t len, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));

static size_t appendf(char *buf, size_t size, size_t len, const char *fmt,
		      ...)
{
	size_t at = MIN(len, size);
	va_list ap;

	va_start(ap, fmt);
	len += vsnprintf(buf ? buf + at : NULL, size - at, fmt, ap);
	va_end(ap);
	return len;
}

char procfs_state_letter(const struct task_struct *t)
{
	unsigned s = t->state;

	return s < ARRAY_SIZE(state_letter) ? state_letter[s] : '?';
}

size_t procfs_tasks_text(char *buf, size_t size)
{
	struct task_struct *t;
	size_t len;

	len = appendf(buf, size, 0, "PID PPID STATE NAME\n");
	list_for_each_entry(t, &all_tasks, tasks)
		len = appendf(buf, size, len, "%d %d %c %s\n", t->pid,
			      t->real_parent ? t->real_parent->pid : 0,
			      procfs_state_letter(t), t->comm);
	return len;
}

size_t procfs_meminfo_text(char *buf, size_t size)
{
	return snprintf(buf, size,
			"free_pages %lu\ntotal_pages %lu\nheap_bytes %lu\n",
			nr_free_pages(), nr_total_pages(),
			kmalloc_bytes_in_use());
}

/* --- files ------------------------------------------------------------- */

static void procfs_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops procfs_ops = {
	.read = memfile_read,
	.lseek = memfile_lseek,
	.release = procfs_release,
};

int procfs_open_text(char *text, size_t len, struct file **fp)
{
	struct file *f = file_alloc(&procfs_ops, O_RDONLY, text);

	if (!f) {
		kfree(text);
		return -ENOMEM;
	}
	f->size = len;
	*fp = f;
	return 0;
}

/* Measure, allocate, fill: nothing that changes the list runs between. */
static int open_tasks(struct file **fp)
{
	size_t len = procfs_tasks_text(NULL, 0);
	char *text = kmalloc(len + 1);

	if (!text)
		return -ENOMEM;
	procfs_tasks_text(text, len + 1);
	return procfs_open_text(text, len, fp);
}

/* A short text made by @fill into a buffer of @max bytes. */
static int open_small(size_t (*fill)(char *buf, size_t size), size_t max,
		      struct file **fp)
{
	char *text = kmalloc(max);
	size_t len;

	if (!text)
		return -ENOMEM;
	len = MIN(fill(text, max), max - 1);
	return procfs_open_text(text, len, fp);
}

/* The unit in use, then its own figures (the software unit's work). */
static size_t bts_text(char *buf, size_t size)
{
	struct bts_charge c = ptrace_bts_charge();
	size_t n = snprintf(buf, size, "unit %s\nbuffer_bytes %zu\n"
			    "buffer_limit %zu\n", ds_unit_name(), c.bytes,
			    c.limit);

	return n < size ? n + ds_unit_stats(buf + n, size - n) : n;
}

static int open_bts(struct file **fp)
{
	return open_small(bts_text, 256, fp);
}

/*
 * Shrink the heap's caches first, so that free_pages does not depend
 * on what happened to be cached; take the figures before allocating
 * the snapshot, so that they do not count the snapshot itself.
 */
static int open_meminfo(struct file **fp)
{
	char tmp[MEMINFO_MAX];
	size_t len;
	char *text;

	kmalloc_shrink();
	len = procfs_meminfo_text(tmp, sizeof(tmp));
	len = MIN(len, sizeof(tmp) - 1);
	text = kmalloc(len + 1);
	if (!text)
		return -ENOMEM;
	memcpy(text, tmp, len + 1);
	return procfs_open_text(text, len, fp);
}

static const struct {
	const char *path;
	int (*open)(struct file **fp);
} proc_files[] = {
	{ "/proc/tasks", open_tasks },
	{ "/proc/meminfo", open_meminfo },
	{ "/proc/bts", open_bts },
};

void procfs_init(void)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(proc_files); i++)
		if (initramfs_add_virtual(proc_files[i].path,
					  proc_files[i].open) < 0)
			printk("procfs: cannot add %s\n", proc_files[i].path);
	if (initramfs_add_lister("/proc", procfs_pid_list) < 0)
		printk("procfs: cannot list the pids in /proc\n");
}
