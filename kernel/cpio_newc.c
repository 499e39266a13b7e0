/*
 * The boot archive's format, cpio "newc": each member is entered in a
 * cpio_index (cpio_index.c) by its canonical path; file bytes stay in
 * the archive.  Members Spoor cannot use (devices, names with "..")
 * are counted and skipped.
 *
 * newc, per member: a 110-byte header of ASCII fields (magic "070701",
 * then 13 eight-digit hex numbers), the NUL-terminated name, padding to
 * 4 bytes, the data, padding to 4 bytes.  The member named
 * "TRAILER!!!" ends the archive.
 */
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/string.h>

#include "cpio_index.h"

struct newc_header {
	char magic[6];
	char ino[8], mode[8], uid[8], gid[8], nlink[8], mtime[8];
	char filesize[8];
	char devmajor[8], devminor[8], rdevmajor[8], rdevminor[8];
	char namesize[8];
	char check[8];
};

#define NEWC_HEADER	110
#define NEWC_TRAILER	"TRAILER!!!"

_Static_assert(sizeof(struct newc_header) == NEWC_HEADER, "newc header");

/* --- parsing ----------------------------------------------------------- */

/* An eight-digit hex field. 0, or -EINVAL if it is not hex. */
static int hex8(const char *s, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 8; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			*v = *v << 4 | (c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v = *v << 4 | (c - 'A' + 10);
		else
			return -EINVAL;
	}
	return 0;
}

/* Enter one archive member; members Spoor cannot use are counted. */
static int add_member(struct cpio_index *ix, const char *name, mode_t mode,
		      const void *data, size_t size)
{
	char rel[PATH_MAX];
	int i;

	if (!S_ISREG(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))	/* devices */
		goto skip;
	if (cpio_canonical_name(name, rel) < 0)
		goto skip;
	i = cpio_add_path(ix, rel, mode);
	if (i == -ENOMEM)
		return i;
	if (i < 0)
		goto skip;
	if (!S_ISDIR(mode)) {		/* a link's data is its target */
		ix->ent[i].data = data;
		ix->ent[i].size = size;
	}
	return 0;
skip:
	ix->skipped++;
	return 0;
}

/*
 * Walk the members of [@start, @start + @size).  Every length is
 * checked against what is left before it is used: the archive comes
 * from outside the kernel.
 */
int cpio_newc_parse(struct cpio_index *ix, const char *start, size_t size)
{
	size_t off = 0, data_off;
	uint32_t mode, filesize, namesize;
	const struct newc_header *h;
	const char *name;
	int err;

	for (;;) {
		if (off > size || size - off < NEWC_HEADER)
			return -EINVAL;		/* no trailer */
		h = (const struct newc_header *)(start + off);
		if (memcmp(h->magic, "070701", 6) &&
		    memcmp(h->magic, "070702", 6))	/* 070702: with CRC */
			return -EINVAL;
		if (hex8(h->mode, &mode) || hex8(h->filesize, &filesize) ||
		    hex8(h->namesize, &namesize))
			return -EINVAL;
		name = start + off + NEWC_HEADER;
		if (namesize == 0 || namesize > size - off - NEWC_HEADER ||
		    name[namesize - 1] != '\0')
			return -EINVAL;
		if (!strcmp(name, NEWC_TRAILER))
			return 0;
		/* Padding is relative to the archive's start. */
		data_off = ALIGN_UP(off + NEWC_HEADER + namesize, 4);
		if (data_off > size || filesize > size - data_off)
			return -EINVAL;
		err = add_member(ix, name, mode, start + data_off, filesize);
		if (err)
			return err;
		off = ALIGN_UP(data_off + filesize, 4);
	}
}
