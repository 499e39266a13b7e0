/*
 * Paths from user space: relative ones start at the caller's working
 * directory (or at a directory descriptor, for the *at calls), and
 * the result is an absolute path for the initramfs to walk.
 */
#ifndef SPOOR_PATH_H
#define SPOOR_PATH_H

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200
#define AT_EMPTY_PATH		0x1000

/*
 * Copy the user path @upath into @kpath (PATH_MAX bytes), made
 * absolute against @dirfd (AT_FDCWD: the working directory).  0, or
 * -EFAULT, -ENOENT (empty), -ENAMETOOLONG, -EBADF, -ENOTDIR (@dirfd).
 */
int user_path_at(int dirfd, const char *upath, char *kpath);

long sys_getcwd(char *ubuf, unsigned long size);
long sys_chdir(const char *upath);
long sys_fchdir(int fd);

#endif
