/*
 * Open files.  A struct file is an open instance of something (an
 * initramfs file or directory, the console, one end of a pipe, a
 * /proc file) with its operations; a process's files_struct maps
 * descriptors to files.  fork shares each struct file (refcount),
 * exactly as dup does.
 */
#ifndef SPOOR_FILE_H
#define SPOOR_FILE_H

#include <spoor/types.h>

#define NR_OPEN		32

/* open(2) flags (Linux i386 values). */
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_ACCMODE	3
#define O_CREAT		0100
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define O_DIRECTORY	0200000
#define O_CLOEXEC	02000000

struct file;

struct file_ops {
	/* @ubuf is a user pointer: use copy_to_user/copy_from_user. */
	ssize_t (*read)(struct file *f, char *ubuf, size_t n);
	ssize_t (*write)(struct file *f, const char *ubuf, size_t n);
	/* Linux getdents(2) records into the user buffer. */
	int (*getdents)(struct file *f, void *ubuf, size_t n);
	int (*ioctl)(struct file *f, unsigned cmd, uintptr_t arg);
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
};

struct files_struct {
	struct file *fd[NR_OPEN];
};

/* Empty table; NULL when out of memory. */
struct files_struct *files_alloc(void);
/* fork: a new table sharing every open file. */
struct files_struct *files_copy(const struct files_struct *fs);
/* exit: close every descriptor and free the table. */
void files_release(struct files_struct *fs);
/* Open the console on 0, 1 and 2 (for init). 0 or -errno. */
int files_open_console(struct files_struct *fs);

struct file *file_alloc(const struct file_ops *ops, int flags, void *priv);
void file_get(struct file *f);
void file_put(struct file *f);

/*
 * Look up @path (absolute, "/bin/init") in the initramfs.  On success
 * set *@data/*@size to the file's bytes (read-only, live forever) and
 * return 0; -ENOENT, -ENOTDIR, -EISDIR or -ENAMETOOLONG otherwise.
 */
int initramfs_lookup(const char *path, const void **data, size_t *size);
/* Parse the archive handed over by the boot loader. */
void initramfs_init(const void *start, size_t size);

#endif
