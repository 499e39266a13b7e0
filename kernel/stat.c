/*
 * What a name or a descriptor is: the stat family (stat64, lstat64,
 * fstat64, fstatat64, statx), readlink and access.  Symbolic links
 * come from the initramfs (BusyBox's applet names), plus one made up
 * here: /proc/self/exe, the program the caller is running, which
 * BusyBox and glibc ask for.
 */
#include <asm/uaccess.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/path.h>
#include <spoor/sched.h>
#include <spoor/stat.h>
#include <spoor/string.h>

#define SELF_EXE	"/proc/self/exe"
#define STATX_BASIC_STATS	0x7ff
#define ACCESS_MODES	7	/* R_OK | W_OK | X_OK */
#define STAT_BLKSIZE	4096

/* Linux's struct stat64 for i386 (asm/stat.h). */
struct stat64 {
	uint64_t st_dev;
	uint8_t pad0[4];
	uint32_t st_ino32;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev;
	uint8_t pad3[4];
	int64_t st_size;
	uint32_t st_blksize;
	uint64_t st_blocks;
	uint32_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec;
	uint32_t st_ctime, st_ctime_nsec;
	uint64_t st_ino;
};
_Static_assert(sizeof(struct stat64) == 96, "i386 stat64");

struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

/* Linux's struct statx (uapi/linux/stat.h). */
struct statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t spare2[14];
};
_Static_assert(sizeof(struct statx) == 256, "statx");

/*
 * The attributes of absolute @path.  /proc/self/exe is followed (to
 * the program) unless @nofollow, when it is the link itself.
 */
static int path_stat(const char *path, int nofollow, struct kstat *st)
{
	if (procfs_pid_path(path))
		return procfs_pid_stat(path, st);
	if (strcmp(path, SELF_EXE))
		return initramfs_stat(path, !nofollow, st);
	if (!nofollow)
		return initramfs_stat(current->exe, 1, st);
	memset(st, 0, sizeof(*st));
	st->mode = S_IFLNK | 0777;
	st->nlink = 1;
	st->size = strlen(current->exe);
	return 0;
}

static void file_stat(const struct file *f, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = f->mode;
	st->ino = f->ino;
	st->nlink = S_ISDIR(f->mode) ? 2 : 1;
	st->rdev = f->rdev;
	st->size = S_ISREG(f->mode) ? f->size : 0;
}

/*
 * The attributes of @upath relative to @dirfd, or (AT_EMPTY_PATH and
 * an empty path) of the descriptor itself.
 */
static int stat_at(int dirfd, const char *upath, int flags, struct kstat *st)
{
	char path[PATH_MAX];
	struct file *f;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	err = user_path_at(dirfd, upath, path);
	if (err == -ENOENT && (flags & AT_EMPTY_PATH)) {	/* "": dirfd itself */
		if (dirfd == AT_FDCWD)
			return initramfs_stat(current->cwd, 1, st);
		f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		file_stat(f, st);
		return 0;
	}
	if (err)
		return err;
	return path_stat(path, flags & AT_SYMLINK_NOFOLLOW, st);
}

static int put_stat64(const struct kstat *st, struct stat64 *ubuf)
{
	struct stat64 s;

	memset(&s, 0, sizeof(s));
	s.st_ino32 = st->ino;
	s.st_ino = st->ino;
	s.st_mode = st->mode;
	s.st_nlink = st->nlink;
	s.st_rdev = st->rdev;
	s.st_size = st->size;
	s.st_blksize = STAT_BLKSIZE;
	s.st_blocks = ALIGN_UP(st->size, 512) / 512;
	return copy_to_user(ubuf, &s, sizeof(s)) ? -EFAULT : 0;
}

long sys_stat64(const char *upath, struct stat64 *ubuf)
{
	struct kstat st;
	int err = stat_at(AT_FDCWD, upath, 0, &st);

	return err ? err : put_stat64(&st, ubuf);
}

long sys_lstat64(const char *upath, struct stat64 *ubuf)
{
	struct kstat st;
	int err = stat_at(AT_FDCWD, upath, AT_SYMLINK_NOFOLLOW, &st);

	return err ? err : put_stat64(&st, ubuf);
}

long sys_fstat64(int fd, struct stat64 *ubuf)
{
	struct file *f = fd_get(fd);
	struct kstat st;

	if (!f)
		return -EBADF;
	file_stat(f, &st);
	return put_stat64(&st, ubuf);
}

long sys_fstatat64(int dirfd, const char *upath, struct stat64 *ubuf, int flags)
{
	struct kstat st;
	int err = stat_at(dirfd, upath, flags, &st);

	return err ? err : put_stat64(&st, ubuf);
}

/* statx(2): every basic field is known, whatever @mask asks for. */
long sys_statx(int dirfd, const char *upath, int flags, unsigned mask,
	       struct statx *ubuf)
{
	struct kstat st;
	struct statx x;
	int err;

	if (mask & STATX_RESERVED)
		return -EINVAL;
	err = stat_at(dirfd, upath, flags, &st);
	if (err)
		return err;
	memset(&x, 0, sizeof(x));
	x.stx_mask = STATX_BASIC_STATS;
	x.stx_blksize = STAT_BLKSIZE;
	x.stx_nlink = st.nlink;
	x.stx_mode = st.mode;
	x.stx_ino = st.ino;
	x.stx_size = st.size;
	x.stx_blocks = ALIGN_UP(st.size, 512) / 512;
	x.stx_rdev_major = st.rdev >> 8;
	x.stx_rdev_minor = st.rdev & 0xff;
	return copy_to_user(ubuf, &x, sizeof(x)) ? -EFAULT : 0;
}

/*
 * readlinkat(2): the link's target, not NUL-terminated, cut to
 * @size.  A name that is not a link is EINVAL, as on Linux.
 */
long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int size)
{
	char path[PATH_MAX];
	const char *target;
	size_t len;
	int err;

	if (size <= 0)
		return -EINVAL;
	err = user_path_at(dirfd, upath, path);
	if (err)
		return err;
	if (strcmp(path, SELF_EXE)) {
		err = initramfs_readlink(path, &target, &len);
		if (err)
			return err;
	} else {
		target = current->exe;
		len = strlen(target);
	}
	len = MIN(len, (size_t)size);
	return copy_to_user(ubuf, target, len) ? -EFAULT : (long)len;
}

long sys_readlink(const char *upath, char *ubuf, int size)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, size);
}

/*
 * faccessat(2) for root: reading always passes, writing fails on the
 * read-only initramfs (EROFS, but not for the console or /proc's
 * directories' sake: only regular files and directories are on it),
 * and executing needs some x bit, as Linux asks even of root.
 */
long sys_faccessat(int dirfd, const char *upath, int mode)
{
	struct kstat st;
	int err;

	if (mode & ~ACCESS_MODES)
		return -EINVAL;
	err = stat_at(dirfd, upath, 0, &st);
	if (err)
		return err;
	if ((mode & X_OK) && !S_ISDIR(st.mode) && !(st.mode & 0111))
		return -EACCES;
	if ((mode & W_OK) && (S_ISREG(st.mode) || S_ISDIR(st.mode)))
		return -EROFS;
	return 0;
}

long sys_access(const char *upath, int mode)
{
	return sys_faccessat(AT_FDCWD, upath, mode);
}
