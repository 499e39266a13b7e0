/*
 * The working directory and user paths (spoor/path.h): getcwd(2),
 * chdir(2), fchdir(2), and the one helper every call taking a path
 * uses to make it absolute.  The working directory is kept as the
 * canonical path the initramfs gave the directory.
 */
#include <asm/uaccess.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/path.h>
#include <spoor/sched.h>
#include <spoor/string.h>

/* The directory @dirfd names for a relative path, or an -errno. */
static const char *dirfd_path(int dirfd, long *err)
{
	struct file *f;

	if (dirfd == AT_FDCWD)
		return current->cwd;
	f = fd_get(dirfd);
	*err = -EBADF;
	if (!f)
		return NULL;
	*err = -ENOTDIR;
	return f->path;
}

int user_path_at(int dirfd, const char *upath, char *kpath)
{
	char rel[PATH_MAX];
	const char *base;
	long err = strncpy_from_user(rel, upath, sizeof(rel));
	size_t blen;

	if (err < 0)
		return err;
	if (err == 0)
		return -ENOENT;
	if (rel[0] == '/') {
		memcpy(kpath, rel, err + 1);
		return 0;
	}
	base = dirfd_path(dirfd, &err);
	if (!base)
		return err;
	blen = strlen(base);
	if (blen + 1 + strlen(rel) + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(kpath, base, blen);
	kpath[blen] = '/';
	strcpy(kpath + blen + 1, rel);
	return 0;
}

/* getcwd(2): the length stored, NUL included, or ERANGE if @size is short. */
long sys_getcwd(char *ubuf, unsigned long size)
{
	size_t len = strlen(current->cwd) + 1;

	if (size < len)
		return -ERANGE;
	return copy_to_user(ubuf, current->cwd, len) ? -EFAULT : (long)len;
}

/* Make the directory at absolute @path the working directory. */
static long change_dir(const char *path)
{
	const char *canon;
	int err = initramfs_dir(path, &canon);

	if (err)
		return err;
	strcpy(current->cwd, canon);
	return 0;
}

long sys_chdir(const char *upath)
{
	char path[PATH_MAX];
	int err = user_path_at(AT_FDCWD, upath, path);

	return err ? err : change_dir(path);
}

long sys_fchdir(int fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!f->path)
		return -ENOTDIR;
	return change_dir(f->path);
}
