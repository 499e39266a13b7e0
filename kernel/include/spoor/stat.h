/* The stat family, readlink and access (kernel/stat.c). */
#ifndef SPOOR_STAT_H
#define SPOOR_STAT_H

#define AT_NO_AUTOMOUNT		0x800
#define AT_STATX_SYNC_TYPE	0x6000
#define STATX_RESERVED		0x80000000u

struct stat64;
struct statx;

long sys_stat64(const char *path, struct stat64 *buf);
long sys_lstat64(const char *path, struct stat64 *buf);
long sys_fstat64(int fd, struct stat64 *buf);
long sys_fstatat64(int dirfd, const char *path, struct stat64 *buf, int flags);
long sys_statx(int dirfd, const char *path, int flags, unsigned mask,
	       struct statx *buf);
long sys_readlink(const char *path, char *buf, int size);
long sys_readlinkat(int dirfd, const char *path, char *buf, int size);
long sys_access(const char *path, int mode);
long sys_faccessat(int dirfd, const char *path, int mode);

#endif
