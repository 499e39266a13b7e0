/*
 * Paths from user space: relative ones start at the caller's working
 * directory (or at a directory descriptor, for the *at calls), and
 * the result is an absolute path for the initramfs to walk.
 */
#ifndef SPOOR_PATH_H
#define SPOOR_PATH_H

#include <spoor/file_abi.h>	/* AT_FDCWD and the AT_ flags */

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
