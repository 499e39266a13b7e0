/*
 * Open files.  A struct file is an open instance of something (an
 * initramfs file or directory, the console, one end of a pipe, a
 * /proc file) with its operations; a process's files_struct maps
 * descriptors to files.  fork shares each struct file (refcount),
 * exactly as dup does.
 *
 * Who implements what:
 *   file.c       struct file, descriptor tables, the fd system calls,
 *                memory-backed reads and seeks, getdents records
 *   cpio_index.c the namespace's tree: entering names, the path walk
 *   cpio_newc.c  the boot archive's format, cpio newc, into that tree
 *   initramfs.c  opening what the tree holds; the boot archive's tree,
 *                plus the virtual files procfs adds under /proc
 *   pipe.c       pipes          tty.c     the console as a file
 *   serial.c     COM2 as /dev/ttyS1, the line for a debugger
 *   procfs.c     /proc/tasks, /proc/meminfo
 */
#ifndef SPOOR_FILE_H
#define SPOOR_FILE_H

#include <spoor/poll.h>
#include <spoor/types.h>

#define NR_OPEN		32

#include <spoor/file_abi.h>	/* O_*, SEEK_*, S_IF*, DT_* */
#include <spoor/limits.h>	/* NAME_MAX, PIPE_BUF */

/*
 * Spoor's own limit on a path, NUL included; Linux and the libc's
 * <limits.h> say 4096.  Longer paths get ENAMETOOLONG.
 */
#define PATH_MAX	256

/* Linux's MAX_RW_COUNT: one call moves at most this, so counts fit a long. */
#define MAX_RW_COUNT	0x7ffff000u

struct file;

struct file_ops {
	/* @ubuf is a user pointer: use copy_to_user/copy_from_user. */
	ssize_t (*read)(struct file *f, char *ubuf, size_t n);
	ssize_t (*write)(struct file *f, const char *ubuf, size_t n);
	/*
	 * Linux getdents(2) records into the user buffer.  A file with
	 * getdents is a directory: read(2) on it fails with EISDIR.
	 */
	int (*getdents)(struct file *f, void *ubuf, size_t n, int is64);
	int (*ioctl)(struct file *f, unsigned cmd, uintptr_t arg);
	/* New position or -errno; NULL: not seekable (ESPIPE). */
	off_t (*lseek)(struct file *f, off_t off, int whence);
	/*
	 * Which of POLLIN, POLLOUT, POLLHUP, POLLERR hold now (poll.c);
	 * NULL: always readable and writable, like a regular file.
	 */
	unsigned (*poll)(struct file *f);
	/* Last reference gone. */
	void (*release)(struct file *f);
};


struct file {
	const struct file_ops *ops;
	int refcount;
	int flags;		/* O_ACCMODE bits and O_NONBLOCK */
	off_t pos;
	void *priv;		/* the object behind the file */
	size_t size;		/* for files with contents in memory */
	/* What fstat reports; set by whoever makes the file. */
	mode_t mode;		/* S_IFREG, S_IFDIR, S_IFCHR, S_IFIFO, perms */
	unsigned long ino;
	uint32_t rdev;		/* a device: Linux's (major << 8 | minor) */
	const char *path;	/* a directory: its canonical path */
};

struct files_struct {
	struct file *fd[NR_OPEN];
	uint32_t cloexec;	/* bit n: close fd n on exec */
};

/* Empty table; NULL when out of memory. */
struct files_struct *files_alloc(void);
/* fork: a new table sharing every open file. */
struct files_struct *files_copy(const struct files_struct *fs);
/* exit: close every descriptor and free the table. */
void files_release(struct files_struct *fs);
/* exec: close the descriptors opened with O_CLOEXEC. */
void files_close_on_exec(struct files_struct *fs);
/* Open the console on 0, 1 and 2 (for init). 0 or -errno. */
int files_open_console(struct files_struct *fs);

/*
 * Put @f in the lowest free slot of @fs (the table takes over the
 * caller's reference).  Returns the descriptor, or -EMFILE.
 */
int fd_install(struct files_struct *fs, struct file *f, int cloexec);

/* A new file with one reference, or NULL when out of memory. */
struct file *file_alloc(const struct file_ops *ops, int flags, void *priv);
void file_get(struct file *f);
void file_put(struct file *f);

/* The open file behind current's @fd, or NULL (EBADF). */
struct file *fd_get(int fd);

/* Reads and seeks of a file whose bytes are f->priv[0 .. f->size). */
ssize_t memfile_read(struct file *f, char *ubuf, size_t n);
off_t memfile_lseek(struct file *f, off_t off, int whence);

/*
 * getdents records (struct linux_dirent, i386): d_ino, d_off,
 * d_reclen, the name and its NUL, zero padding, and d_type as the
 * last byte; d_reclen is a multiple of 4.
 */
#define DIRENT_NAME_OFFSET	10
#define DIRENT_MAX	(DIRENT_NAME_OFFSET + NAME_MAX + 3)
/* Encode one record in @buf; its length, or 0 if @room is too small. */
size_t dirent_encode(void *buf, size_t room, unsigned long ino,
		     unsigned long off, const char *name, unsigned char type);
/*
 * getdents64 records (struct linux_dirent64): d_ino and d_off 64-bit,
 * d_reclen, d_type, then the name and its NUL; a multiple of 8.
 */
#define DIRENT64_NAME_OFFSET	19
size_t dirent64_encode(void *buf, size_t room, unsigned long ino,
		       unsigned long off, const char *name, unsigned char type);
/*
 * Encode one record (getdents64's when @is64) at user @ubuf: its
 * length, 0 if no room, -EFAULT.
 */
long dirent_put(void *ubuf, size_t room, unsigned long ino,
		unsigned long off, const char *name, unsigned char type,
		int is64);

/*
 * The namespace (cpio_index.c, cpio_newc.c, initramfs.c).  A
 * cpio_index is the tree of one newc archive: entry 0 is "/", and
 * every entry knows its parent.  The kernel keeps one (the boot
 * archive); tests parse their own.
 */
struct cpio_entry {
	char *path;		/* canonical: "/", "/bin", "/bin/ls" */
	const char *name;	/* last component, inside path */
	mode_t mode;		/* S_IFDIR or S_IFREG, with permissions */
	int parent;		/* index of the directory holding it */
	const void *data;	/* the file's bytes, inside the archive */
	size_t size;
	/* Virtual file (procfs): make the open file; 0 or -errno. */
	int (*open)(struct file **fp);
	/*
	 * A directory whose names are not all in the table (/proc and its
	 * pids): after the table's own, the name at or after position
	 * @pos into @name, its inode; the next position, or 0 at the end.
	 * Its positions must lie above every table position.
	 */
	unsigned long (*list)(unsigned long pos, char *name, size_t size,
			      unsigned long *ino);
};

struct cpio_index {
	struct cpio_entry *ent;
	int n, cap;
	int skipped;		/* members Spoor cannot use (symlinks, ...) */
};

/*
 * Parse the newc archive [@start, @start + @size) into @ix (which
 * need not be initialised; @size 0: just the root).  Entries point
 * into the archive, which must outlive @ix.  0, or -EINVAL for a
 * malformed archive (@ix keeps what came before the damage), or
 * -ENOMEM.
 */
int cpio_index_init(struct cpio_index *ix, const void *start, size_t size);
void cpio_index_free(struct cpio_index *ix);
/*
 * Resolve @path (absolute; a relative path starts at "/", Spoor's only
 * working directory) to an entry index, or -ENOENT, -ENOTDIR,
 * -ENAMETOOLONG.  If the last component alone is missing, *@dir is
 * set to the directory it was looked for in (open's O_CREAT uses it),
 * else to -1.
 */
int cpio_resolve(const struct cpio_index *ix, const char *path, int *dir);
/*
 * The record at @pos in directory @dir: pos 0 is ".", 1 is "..",
 * then the children in archive order.  Fills *@name, *@ino and *@type
 * and returns the pos after it; 0 when there are no more.
 */
unsigned long cpio_readdir(const struct cpio_index *ix, int dir,
			   unsigned long pos, const char **name,
			   unsigned long *ino, unsigned char *type);

/* open(2) of the kernel string @path in @ix: 0 and *@fp, or -errno. */
int cpio_open(const struct cpio_index *ix, const char *path, int flags,
	      struct file **fp);
/* Add the virtual file @path (its parent directories too). 0 or -errno. */
int cpio_add_virtual(struct cpio_index *ix, const char *path,
		     int (*open)(struct file **fp));
/*
 * The same for a character device: open(2) may ask for writing, and
 * the open file gets the caller's flags (O_NONBLOCK, the access mode).
 */
int cpio_add_device(struct cpio_index *ix, const char *path,
		    int (*open)(struct file **fp));

/*
 * Look up @path (absolute, "/bin/init") in the initramfs.  On success
 * set *@data and *@size to the file's bytes (read-only, live forever)
 * and return 0; -ENOENT, -ENOTDIR, -EISDIR, -EACCES (a /proc file) or
 * -ENAMETOOLONG otherwise.
 */
int initramfs_lookup(const char *path, const void **data, size_t *size);
/*
 * Parse the archive handed over by the boot loader (@size 0: none),
 * then mount /proc.  Call once at boot, before the first open.
 */
void initramfs_init(const void *start, size_t size);
/* cpio_open and cpio_add_virtual on the boot archive's index. */
int initramfs_open(const char *path, int flags, struct file **fp);
int initramfs_add_virtual(const char *path, int (*open)(struct file **fp));
int initramfs_add_device(const char *path, int (*open)(struct file **fp));

/*
 * The attributes stat(2) reports (stat.c turns them into the ABI's
 * structures).  Spoor has no owners or times: uid, gid, times are 0.
 */
struct kstat {
	mode_t mode;
	unsigned long ino;
	unsigned nlink;
	uint32_t rdev;
	uint64_t size;
};

#define TTYS0_RDEV	(4 << 8 | 64)	/* Linux's (4, 64): /dev/ttyS0 */

/*
 * stat @path (absolute) in the initramfs, following a final symbolic
 * link if @follow (lstat: not): 0 or -errno as for open.
 */
int initramfs_stat(const char *path, int follow, struct kstat *st);
/* The target of link @path (not NUL-terminated): 0, -EINVAL, -errno. */
int initramfs_readlink(const char *path, const char **target, size_t *len);
/* The directory @path: 0 and its canonical path in *@canon, or -errno. */
int initramfs_dir(const char *path, const char **canon);
/* Give directory @path the names @list makes (struct cpio_entry). */
int initramfs_add_lister(const char *path,
			 unsigned long (*list)(unsigned long pos, char *name,
					       size_t size,
					       unsigned long *ino));

/* procfs (procfs.c): register /proc's files in the namespace. */
void procfs_init(void);
/*
 * The text of /proc/tasks and /proc/meminfo into @buf (NUL-terminated,
 * truncated to @size); returns the full length, as snprintf does.
 */
size_t procfs_tasks_text(char *buf, size_t size);
size_t procfs_meminfo_text(char *buf, size_t size);
struct task_struct;
/* ps's letter for @t's state: R S T t Z X. */
char procfs_state_letter(const struct task_struct *t);
/* An open /proc file reading @text (@len bytes, kmalloc'd; it takes it over). */
int procfs_open_text(char *text, size_t len, struct file **fp);

/*
 * /proc/PID (procfs_pid.c).  procfs_pid_path: is absolute @path under a
 * pid directory (whether or not that task exists)?  If so, open and
 * stat go to procfs_pid_open and procfs_pid_stat instead of the
 * initramfs (same flags and errors as cpio_open).  procfs_pid_list is
 * /proc's lister (see initramfs_add_lister).
 */
int procfs_pid_path(const char *path);
int procfs_pid_open(const char *path, int flags, struct file **fp);
int procfs_pid_stat(const char *path, struct kstat *st);
unsigned long procfs_pid_list(unsigned long pos, char *name, size_t size,
			      unsigned long *ino);

/*
 * Pipes (pipe.c).  The byte ring is separate from the blocking logic
 * so that it can be tested on its own.  head and tail count bytes ever
 * written and read; they wrap as unsigned integers.
 */
/* A pipe's ring: PIPE_BUF bytes, one page (Linux's holds 64 KiB). */
#define PIPE_SIZE	PIPE_BUF

struct pipe_ring {
	char *buf;		/* PIPE_SIZE bytes */
	unsigned head, tail;	/* next byte written / read */
};

static inline unsigned pipe_ring_used(const struct pipe_ring *r)
{
	return r->head - r->tail;
}

static inline unsigned pipe_ring_room(const struct pipe_ring *r)
{
	return PIPE_SIZE - pipe_ring_used(r);
}

/* Where the next write may go, and how many contiguous bytes. */
size_t pipe_ring_write_span(const struct pipe_ring *r, char **p);
/* Where the next read comes from, and how many contiguous bytes. */
size_t pipe_ring_read_span(const struct pipe_ring *r, char **p);

/*
 * COM2 as /dev/ttyS1 (serial.c): raw bytes both ways, receive driven by
 * IRQ 3.  Call once at boot, after initramfs_init.
 */
void serial_init(void);

/* The console as a file (tty.c); console.c calls the two tty_input_*. */
struct file *tty_open(int flags);
/* The console's foreground group, as session @sid sees it (-1: none). */
pid_t tty_foreground(pid_t sid);
/*
 * A byte arrived (interrupt context).  ^C while the foreground process
 * group has members: send them SIGINT and return 1 (drop the byte);
 * else 0.
 */
int tty_input_special(char c);
/* Bytes were queued: wake the console's readers (interrupt context). */
void tty_input_ready(void);

#endif
