/*
 * Directory streams over getdents(2).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syscall.h"

/*
 * What the 32-bit getdents(2) writes: records of d_reclen bytes, the name
 * NUL-terminated, the file type in the record's last byte.
 */
struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};

struct __dirstream {
	int fd;
	size_t pos;		/* next record in buf */
	size_t len;		/* bytes of records in buf */
	/*
	 * glibc's size: a directory of a few hundred entries is read in
	 * one getdents, on Linux and on Spoor alike (what the oracle
	 * layer compares: the branches of a readdir loop follow the
	 * records each call returns).
	 */
	char buf[32768];
	struct dirent ent;	/* what readdir hands out */
};

/* Returns NULL with errno set when @path cannot be opened as a directory. */
DIR *opendir(const char *path)
{
	DIR *dir;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return NULL;
	dir = malloc(sizeof(*dir));
	if (!dir) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	dir->fd = fd;
	dir->pos = 0;
	dir->len = 0;
	return dir;
}

/* Fetch the next batch of records; 1 if there are some, 0 at end/error. */
static int fill(DIR *dir)
{
	long n = __syscall(SYS_getdents, dir->fd, dir->buf, sizeof(dir->buf));

	if (n <= 0) {
		if (n < 0)
			errno = -n;
		return 0;
	}
	dir->pos = 0;
	dir->len = n;
	return 1;
}

/*
 * The next entry, or NULL at the end (errno unchanged) or on error (errno
 * set; EIO if the kernel handed back a malformed record). The entry is
 * overwritten by the next call.
 */
struct dirent *readdir(DIR *dir)
{
	struct linux_dirent *ld;
	size_t name_max, len;

	if (dir->pos >= dir->len && !fill(dir))
		return NULL;
	ld = (struct linux_dirent *)(dir->buf + dir->pos);
	if (ld->d_reclen <= offsetof(struct linux_dirent, d_name) ||
	    ld->d_reclen > dir->len - dir->pos) {
		errno = EIO;
		return NULL;
	}
	dir->pos += ld->d_reclen;

	name_max = ld->d_reclen - offsetof(struct linux_dirent, d_name) - 1;
	if (name_max > sizeof(dir->ent.d_name) - 1)
		name_max = sizeof(dir->ent.d_name) - 1;
	dir->ent.d_ino = ld->d_ino;
	dir->ent.d_off = ld->d_off;
	dir->ent.d_reclen = sizeof(dir->ent);
	dir->ent.d_type = ((unsigned char *)ld)[ld->d_reclen - 1];
	len = strnlen(ld->d_name, name_max);
	memcpy(dir->ent.d_name, ld->d_name, len);
	dir->ent.d_name[len] = '\0';
	return &dir->ent;
}

int closedir(DIR *dir)
{
	int ret = close(dir->fd);

	free(dir);
	return ret;
}
