/*
 * What the namespace's files share beyond spoor/file.h: entering and
 * walking a cpio_index (cpio_index.c) and parsing a newc archive into
 * one (cpio_newc.c).  Private to those two files and initramfs.c.
 */
#ifndef CPIO_INDEX_H
#define CPIO_INDEX_H

#include <spoor/file.h>

/*
 * Canonical relative form of the archive name @name in @out (PATH_MAX
 * bytes): "./bin//ls" and "/bin/ls" become "bin/ls", "." becomes "".
 * -EINVAL for "..", -ENAMETOOLONG past Spoor's limits.
 */
int cpio_canonical_name(const char *name, char *out);
/*
 * Enter the canonical relative path @rel with @mode, and the parent
 * directories it implies; a later entry of the same name wins.  The
 * entry's index, or -ENOMEM, -EEXIST, -ENOTDIR.
 */
int cpio_add_path(struct cpio_index *ix, const char *rel, mode_t mode);
/*
 * cpio_resolve, but a symbolic link as the last component is followed
 * only if @follow (lstat and readlink do not); -ELOOP past too many.
 */
int cpio_walk(const struct cpio_index *ix, const char *path, int *dir,
	      int follow);
/*
 * Enter the members of the newc archive [@start, @start + @size) in
 * @ix, which holds the root already.  0, -EINVAL at the first damage
 * (what came before stays), or -ENOMEM.
 */
int cpio_newc_parse(struct cpio_index *ix, const char *start, size_t size);

#endif
