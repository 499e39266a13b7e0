/*
 * Internal: the FILE structure, shared by the stdio files.
 */
#ifndef _USER_LIB_FILE_H
#define _USER_LIB_FILE_H

#include <stdio.h>

#define F_EOF	0x1
#define F_ERR	0x2

/*
 * A stream is used either for output (stdout, stderr) or for input
 * (stdin). Output: buf[0..len) waits to be written. Input: buf[pos..len)
 * has been read but not yet consumed.
 */
struct __file {
	int fd;
	int mode;		/* _IOFBF, _IOLBF or _IONBF */
	int flags;		/* F_EOF, F_ERR */
	char *buf;		/* NULL: no buffer, write through */
	size_t size;
	size_t len;
	size_t pos;
};

/* write() all of @buf, retrying short writes; 0, or -1 with errno. */
int __write_all(int fd, const char *buf, size_t len);

#endif /* _USER_LIB_FILE_H */
