/*
 * dirent.h - reading directories (over getdents(2)).
 */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <sys/types.h>

#include <spoor/file_abi.h>	/* DT_* */

struct dirent {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

typedef struct __dirstream DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif /* _DIRENT_H */
