/*
 * sys/stat.h - file attributes: stat(2) and friends, and the mode bits.
 */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include <sys/types.h>

#include <spoor/file_abi.h>	/* S_IF*, S_IS* */

/*
 * The kernel's i386 struct stat64 (stat64(2), fstat64, lstat64), the
 * one layout the library uses: 64-bit sizes and inode numbers.
 */
struct stat {
	uint64_t st_dev;
	uint8_t __pad0[4];
	uint32_t __st_ino32;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev;
	uint8_t __pad3[4];
	int64_t st_size;
	uint32_t st_blksize;
	uint64_t st_blocks;
	uint32_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec;
	uint32_t st_ctime, st_ctime_nsec;
	uint64_t st_ino;
};

int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);

#define S_IRWXU		00700
#define S_IRUSR		00400
#define S_IWUSR		00200
#define S_IXUSR		00100
#define S_IRWXG		00070
#define S_IRGRP		00040
#define S_IWGRP		00020
#define S_IXGRP		00010
#define S_IRWXO		00007
#define S_IROTH		00004
#define S_IWOTH		00002
#define S_IXOTH		00001

#endif /* _SYS_STAT_H */
