/*
 * Open files and descriptor tables, and the system calls on
 * descriptors.  What a descriptor reaches (initramfs file, directory,
 * console, pipe end, /proc file) is behind struct file_ops; this file
 * checks the descriptor, the access mode and the user buffer, then
 * hands over.  Errors follow Linux: a bad descriptor is EBADF whatever
 * else is wrong with the call.
 */
#include <asm/uaccess.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file_abi.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/panic.h>
#include <spoor/path.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/syscalls_fs.h>

/* --- struct file ------------------------------------------------------- */

struct file *file_alloc(const struct file_ops *ops, int flags, void *priv)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->refcount = 1;
	f->flags = flags;
	f->priv = priv;
	return f;
}

void file_get(struct file *f)
{
	f->refcount++;
}

/* Drop a reference; the last one releases the object behind the file. */
void file_put(struct file *f)
{
	BUG_ON(f->refcount <= 0);
	if (--f->refcount > 0)
		return;
	if (f->ops->release)
		f->ops->release(f);
	kfree(f);
}

/* --- descriptor tables ------------------------------------------------- */

struct files_struct *files_alloc(void)
{
	return kzalloc(sizeof(struct files_struct));
}

/* fork: every open file gains a reference.  @fs NULL (idle): empty table. */
struct files_struct *files_copy(const struct files_struct *fs)
{
	struct files_struct *copy = files_alloc();
	int fd;

	if (!copy || !fs)
		return copy;
	for (fd = 0; fd < NR_OPEN; fd++) {
		copy->fd[fd] = fs->fd[fd];
		if (copy->fd[fd])
			file_get(copy->fd[fd]);
	}
	copy->cloexec = fs->cloexec;
	return copy;
}

/* Empty slot @fd and drop its file.  The slot must be in use. */
static void fd_clear(struct files_struct *fs, int fd)
{
	struct file *f = fs->fd[fd];

	fs->fd[fd] = NULL;
	fs->cloexec &= ~(1u << fd);
	file_put(f);
}

void files_release(struct files_struct *fs)
{
	int fd;

	if (!fs)
		return;
	for (fd = 0; fd < NR_OPEN; fd++)
		if (fs->fd[fd])
			fd_clear(fs, fd);
	kfree(fs);
}

void files_close_on_exec(struct files_struct *fs)
{
	int fd;

	for (fd = 0; fd < NR_OPEN; fd++)
		if (fs->fd[fd] && (fs->cloexec & (1u << fd)))
			fd_clear(fs, fd);
}

/* Lowest free descriptor from @min up, or -EMFILE. */
static int fd_free_from(const struct files_struct *fs, int min)
{
	int fd;

	for (fd = min; fd < NR_OPEN; fd++)
		if (!fs->fd[fd])
			return fd;
	return -EMFILE;
}

static int fd_lowest_free(const struct files_struct *fs)
{
	return fd_free_from(fs, 0);
}

/* Put @f in slot @fd, which must be free. */
static void fd_set(struct files_struct *fs, int fd, struct file *f,
		   int cloexec)
{
	fs->fd[fd] = f;
	if (cloexec)
		fs->cloexec |= 1u << fd;
	else
		fs->cloexec &= ~(1u << fd);
}

int fd_install(struct files_struct *fs, struct file *f, int cloexec)
{
	int fd = fd_lowest_free(fs);

	if (fd >= 0)
		fd_set(fs, fd, f, cloexec);
	return fd;
}

/* One console file behind 0, 1 and 2, as if opened once and dup'ed. */
int files_open_console(struct files_struct *fs)
{
	struct file *f = tty_open(O_RDWR);
	int fd;

	if (!f)
		return -ENOMEM;
	for (fd = 0; fd < 3; fd++) {
		if (fs->fd[fd])
			fd_clear(fs, fd);
		if (fd > 0)
			file_get(f);
		fd_set(fs, fd, f, 0);
	}
	return 0;
}

struct file *fd_get(int fd)
{
	struct files_struct *fs = current->files;

	if (!fs || fd < 0 || fd >= NR_OPEN)
		return NULL;
	return fs->fd[fd];
}

static int can_read(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static int can_write(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

/* --- files whose bytes are in memory (initramfs, /proc) ---------------- */

ssize_t memfile_read(struct file *f, char *ubuf, size_t n)
{
	size_t left;

	if (f->pos < 0 || (size_t)f->pos >= f->size)
		return 0;
	left = f->size - f->pos;
	n = MIN(n, left);
	if (copy_to_user(ubuf, (const char *)f->priv + f->pos, n))
		return -EFAULT;
	f->pos += n;
	return n;
}

/*
 * Linux's generic_file_llseek: the new position may lie past the end
 * (reads there return 0) but not before the start.  Directories use it
 * too, with size 0: their position counts records.
 */
off_t memfile_lseek(struct file *f, off_t off, int whence)
{
	long long pos;

	switch (whence) {
	case SEEK_SET:
		pos = off;
		break;
	case SEEK_CUR:
		pos = (long long)f->pos + off;
		break;
	case SEEK_END:
		pos = (long long)f->size + off;
		break;
	default:
		return -EINVAL;
	}
	/* Linux says EOVERFLOW past LONG_MAX; Spoor has no such errno. */
	if (pos < 0 || pos > 0x7fffffffLL)
		return -EINVAL;
	f->pos = pos;
	return pos;
}

/* --- getdents records -------------------------------------------------- */

size_t dirent_encode(void *buf, size_t room, unsigned long ino,
		     unsigned long off, const char *name, unsigned char type)
{
	size_t namelen = strlen(name);
	/* name, its NUL, then d_type in the last byte */
	size_t reclen = ALIGN_UP(DIRENT_NAME_OFFSET + namelen + 2, 4);
	unsigned short reclen16 = reclen;
	char *rec = buf;

	if (reclen > room || namelen > NAME_MAX)
		return 0;
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 4);
	memcpy(rec + 4, &off, 4);
	memcpy(rec + 8, &reclen16, 2);
	memcpy(rec + DIRENT_NAME_OFFSET, name, namelen);
	rec[reclen - 1] = type;
	return reclen;
}

size_t dirent64_encode(void *buf, size_t room, unsigned long ino,
		       unsigned long off, const char *name, unsigned char type)
{
	size_t namelen = strlen(name);
	size_t reclen = ALIGN_UP(DIRENT64_NAME_OFFSET + namelen + 1, 8);
	uint64_t ino64 = ino, off64 = off;
	unsigned short reclen16 = reclen;
	char *rec = buf;

	if (reclen > room || namelen > NAME_MAX)
		return 0;
	memset(rec, 0, reclen);
	memcpy(rec, &ino64, 8);
	memcpy(rec + 8, &off64, 8);
	memcpy(rec + 16, &reclen16, 2);
	rec[18] = type;
	memcpy(rec + DIRENT64_NAME_OFFSET, name, namelen);
	return reclen;
}

long dirent_put(void *ubuf, size_t room, unsigned long ino,
		unsigned long off, const char *name, unsigned char type,
		int is64)
{
	char rec[DIRENT_MAX + 8];
	size_t len = (is64 ? dirent64_encode : dirent_encode)(rec,
			MIN(room, sizeof(rec)), ino, off, name, type);

	if (len && copy_to_user(ubuf, rec, len))
		return -EFAULT;
	return len;
}

/* --- system calls ------------------------------------------------------ */

long sys_read(int fd, char *buf, size_t n)
{
	struct file *f = fd_get(fd);

	if (!f || !can_read(f))
		return -EBADF;
	if (f->ops->getdents)
		return -EISDIR;
	if (!f->ops->read)
		return -EINVAL;
	/* The whole range, as asked for, before the count is capped. */
	if (!user_range_ok((uintptr_t)buf, n))
		return -EFAULT;
	if (n == 0)
		return 0;
	return f->ops->read(f, buf, MIN(n, MAX_RW_COUNT));
}

long sys_write(int fd, const char *buf, size_t n)
{
	struct file *f = fd_get(fd);

	if (!f || !can_write(f))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	/* The whole range, as asked for, before the count is capped. */
	if (!user_range_ok((uintptr_t)buf, n))
		return -EFAULT;
	if (n == 0)
		return 0;
	return f->ops->write(f, buf, MIN(n, MAX_RW_COUNT));
}

/*
 * Like Linux, take the descriptor before the lookup: with a full table
 * even a missing path is EMFILE.  Nothing sleeps in between, so the
 * slot is still free when the file is installed.
 */
long sys_openat(int dirfd, const char *upath, int flags, int mode)
{
	char path[PATH_MAX];
	struct file *f;
	long err;
	int fd;

	(void)mode;		/* nothing can be created */
	if (!current->files)
		return -EBADF;
	fd = fd_lowest_free(current->files);
	if (fd < 0)
		return fd;
	err = user_path_at(dirfd, upath, path);
	if (err < 0)
		return err;
	if (procfs_pid_path(path))
		err = procfs_pid_open(path, flags, &f);
	else
		err = initramfs_open(path, flags, &f);
	if (err < 0)
		return err;
	fd_set(current->files, fd, f, flags & O_CLOEXEC);
	return fd;
}

long sys_open(const char *upath, int flags, int mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long sys_close(int fd)
{
	if (!fd_get(fd))
		return -EBADF;
	fd_clear(current->files, fd);
	return 0;
}

long sys_dup(int fd)
{
	struct file *f = fd_get(fd);
	int new;

	if (!f)
		return -EBADF;
	new = fd_install(current->files, f, 0);
	if (new >= 0)
		file_get(f);
	return new;
}

/* The copy never inherits close-on-exec (POSIX). */
long sys_dup2(int old, int new)
{
	struct file *f = fd_get(old);

	if (!f)
		return -EBADF;
	if (new < 0 || new >= NR_OPEN)
		return -EBADF;
	if (new == old)
		return new;
	/* Take the reference first: closing @new may not drop @f to zero. */
	file_get(f);
	if (current->files->fd[new])
		fd_clear(current->files, new);
	fd_set(current->files, new, f, 0);
	return new;
}

static long do_getdents(int fd, void *dirp, unsigned n, int is64)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->getdents)
		return -ENOTDIR;
	if (!user_range_ok((uintptr_t)dirp, n))
		return -EFAULT;
	return f->ops->getdents(f, dirp, n, is64);
}

long sys_getdents(int fd, void *dirp, unsigned n)
{
	return do_getdents(fd, dirp, n, 0);
}

long sys_getdents64(int fd, void *dirp, unsigned n)
{
	return do_getdents(fd, dirp, n, 1);
}

long sys_ioctl(int fd, unsigned cmd, uintptr_t arg)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, cmd, arg);
}

long sys_lseek(int fd, off_t off, int whence)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->lseek)
		return -ESPIPE;
	return f->ops->lseek(f, off, whence);
}

/*
 * _llseek(2): the 64-bit offset in two halves, the result stored at
 * @uresult.  Spoor's files are below 2 GiB: a larger offset is EINVAL
 * from the file's lseek, as a position past its range.
 */
long sys_llseek(int fd, uint32_t high, uint32_t low, int64_t *uresult,
		int whence)
{
	struct file *f = fd_get(fd);
	int64_t off = (int64_t)((uint64_t)high << 32 | low);
	long pos;

	if (!f)
		return -EBADF;
	if (!f->ops->lseek)
		return -ESPIPE;
	if (off != (off_t)off)
		return -EINVAL;
	pos = f->ops->lseek(f, off, whence);
	if (pos < 0)
		return pos;
	off = pos;
	return copy_to_user(uresult, &off, sizeof(off)) ? -EFAULT : 0;
}

/* --- fcntl ------------------------------------------------------------- */

/* The status flags F_SETFL may change (Linux's SETFL_MASK, as Spoor has them). */
#define SETFL_MASK	(O_APPEND | O_NONBLOCK)

/* F_DUPFD: the lowest free descriptor at or above @min. */
static long fcntl_dupfd(int fd, struct file *f, unsigned long min, int cloexec)
{
	int new;

	(void)fd;
	if (min >= NR_OPEN)		/* at or past RLIMIT_NOFILE */
		return -EINVAL;
	new = fd_free_from(current->files, min);
	if (new < 0)
		return new;
	file_get(f);
	fd_set(current->files, new, f, cloexec);
	return new;
}

/*
 * fcntl(2) and fcntl64(2), which are the same on Spoor (no record
 * locks): duplicate, close-on-exec, and the file status flags.
 */
long sys_fcntl(int fd, unsigned cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);
	uint32_t bit = 1u << fd;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
		return fcntl_dupfd(fd, f, arg, 0);
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(fd, f, arg, 1);
	case F_GETFD:
		return (current->files->cloexec & bit) ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (arg & FD_CLOEXEC)
			current->files->cloexec |= bit;
		else
			current->files->cloexec &= ~bit;
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | (arg & SETFL_MASK);
		return 0;
	default:
		return -EINVAL;
	}
}
