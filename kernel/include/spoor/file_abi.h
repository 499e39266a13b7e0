/*
 * The values the file system calls take and give, as Linux i386
 * defines them: open(2)'s flags, fcntl(2)'s commands, the *at(2)
 * calls' AT_ values, lseek(2)'s whence, access(2)'s modes, and the
 * file types stat(2) and getdents(2) report.  The one home of these
 * numbers: the kernel includes this file, and so do the user
 * library's <fcntl.h>, <unistd.h>, <sys/stat.h> and <dirent.h>.
 */
#ifndef SPOOR_FILE_ABI_H
#define SPOOR_FILE_ABI_H

/* open(2) */
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000
#define O_CLOEXEC	02000000

/* fcntl(2) */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

/* openat(2), fstatat(2), faccessat(2), readlinkat(2) */
#define AT_FDCWD		-100	/* *at: from the working directory */
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200
#define AT_EMPTY_PATH		0x1000

/* lseek(2) */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* access(2) */
#define F_OK		0
#define X_OK		1
#define W_OK		2
#define R_OK		4

/* stat(2)'s st_mode: the type bits */
#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
/* Fenced: clang-format 14 would write (m)&S_IFMT, as if a cast. */
/* clang-format off */
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)
/* clang-format on */

/* getdents64(2)'s d_type */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

#endif
