/*
 * The namespace's tree: a cpio_index is a table of entries, each with
 * its canonical path and the index of its parent; entry 0 is "/".
 * This file enters names in it (making the directories a path implies:
 * an archive need not list them), finds them again as Linux's path walk
 * does, symbolic links included, and lists a directory.  Entries come
 * from the boot archive (cpio_newc.c) and from procfs, whose virtual
 * files join the same table, so "/proc" lists and resolves like any
 * other directory.  Opening an entry is initramfs.c's.
 */
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/string.h>

#include "cpio_index.h"

#define ROOT		0	/* index of "/" in every cpio_index */
#define MAXSYMLINKS	8	/* links followed in one lookup */

/* --- the index --------------------------------------------------------- */

/* Index of @parent's child named @name[0 .. @len), or -ENOENT. */
static int find_child(const struct cpio_index *ix, int parent,
		      const char *name, size_t len)
{
	int i;

	for (i = ROOT + 1; i < ix->n; i++) {
		const struct cpio_entry *e = &ix->ent[i];

		if (e->parent == parent && !strncmp(e->name, name, len) &&
		    !e->name[len])
			return i;
	}
	return -ENOENT;
}

/* Make room for one more entry. 0 or -ENOMEM. */
static int grow(struct cpio_index *ix)
{
	struct cpio_entry *bigger;
	int cap = ix->cap ? ix->cap * 2 : 16;

	if (ix->n < ix->cap)
		return 0;
	bigger = kmalloc(cap * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	if (ix->n)
		memcpy(bigger, ix->ent, ix->n * sizeof(*bigger));
	kfree(ix->ent);
	ix->ent = bigger;
	ix->cap = cap;
	return 0;
}

/*
 * Append a child @name[0 .. @len) of @parent (@parent -1: the root
 * itself).  Returns its index, or -ENOMEM.  Moves the table: callers
 * hold indices, never entry pointers, across it.
 */
static int add_entry(struct cpio_index *ix, int parent, const char *name,
		     size_t len, mode_t mode)
{
	const char *dir = parent < 0 ? "" : ix->ent[parent].path;
	size_t dirlen = strlen(dir);
	struct cpio_entry *e;
	char *path;

	if (dirlen == 1)	/* the root's children: "/bin", not "//bin" */
		dirlen = 0;
	if (grow(ix) < 0)
		return -ENOMEM;
	path = kmalloc(dirlen + 1 + len + 1);
	if (!path)
		return -ENOMEM;
	memcpy(path, dir, dirlen);
	path[dirlen] = '/';
	memcpy(path + dirlen + 1, name, len);
	path[dirlen + 1 + len] = '\0';
	e = &ix->ent[ix->n];
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->name = path + dirlen + 1;
	e->mode = mode;
	e->parent = parent < 0 ? ix->n : parent;
	return ix->n++;
}

/*
 * Canonical relative form of the archive name @name in @out (PATH_MAX
 * bytes): "./bin//ls" and "/bin/ls" become "bin/ls", "." becomes "".
 * -EINVAL for "..", which an archive has no business containing;
 * -ENAMETOOLONG when the absolute path would exceed Spoor's limits.
 */
int cpio_canonical_name(const char *name, char *out)
{
	size_t n = 0, len;

	for (;;) {
		while (*name == '/')
			name++;
		for (len = 0; name[len] && name[len] != '/'; len++)
			;
		if (!len)
			break;
		if (len == 2 && name[0] == '.' && name[1] == '.')
			return -EINVAL;
		if (!(len == 1 && name[0] == '.')) {
			/* '/', what we have, '/' unless first, it, NUL */
			if (len > NAME_MAX ||
			    1 + n + (n > 0) + len + 1 > PATH_MAX)
				return -ENAMETOOLONG;
			if (n)
				out[n++] = '/';
			memcpy(out + n, name, len);
			n += len;
		}
		name += len;
	}
	out[n] = '\0';
	return 0;
}

/*
 * Enter the canonical relative path @rel with @mode, creating missing
 * parent directories.  A later member of the same name wins, as when
 * Linux unpacks an initramfs; a file cannot replace a directory or the
 * reverse (-EEXIST), nor sit under a file (-ENOTDIR).  Returns the
 * entry's index or -errno.
 */
int cpio_add_path(struct cpio_index *ix, const char *rel, mode_t mode)
{
	int cur = ROOT, next;
	const char *slash;

	if (!*rel)			/* "." : the root itself */
		return S_ISDIR(mode) ? ROOT : -EEXIST;
	while ((slash = strchr(rel, '/'))) {
		next = find_child(ix, cur, rel, slash - rel);
		if (next < 0)
			next = add_entry(ix, cur, rel, slash - rel,
					 S_IFDIR | 0755);
		if (next < 0)
			return next;
		if (!S_ISDIR(ix->ent[next].mode))
			return -ENOTDIR;
		cur = next;
		rel = slash + 1;
	}
	next = find_child(ix, cur, rel, strlen(rel));
	if (next < 0)
		return add_entry(ix, cur, rel, strlen(rel), mode);
	if (S_ISDIR(ix->ent[next].mode) != S_ISDIR(mode))
		return -EEXIST;
	ix->ent[next].mode = mode;
	return next;
}

/* --- the index's life ------------------------------------------------ */

int cpio_index_init(struct cpio_index *ix, const void *start, size_t size)
{
	memset(ix, 0, sizeof(*ix));
	if (add_entry(ix, -1, "", 0, S_IFDIR | 0755) < 0)
		return -ENOMEM;
	if (!size)			/* no archive: an empty root */
		return 0;
	return cpio_newc_parse(ix, start, size);
}

void cpio_index_free(struct cpio_index *ix)
{
	int i;

	for (i = 0; i < ix->n; i++)
		kfree(ix->ent[i].path);
	kfree(ix->ent);
	memset(ix, 0, sizeof(*ix));
}

/* --- virtual files ---------------------------------------------------- */

/* A virtual file (@mode S_IFREG) or character device (S_IFCHR). */
static int add_virtual(struct cpio_index *ix, const char *path, mode_t mode,
		       int (*open)(struct file **fp))
{
	char rel[PATH_MAX];
	int i;

	if (!ix->n)			/* no root: the index never got going */
		return -ENOMEM;
	i = cpio_canonical_name(path, rel);
	if (i < 0)
		return i;
	i = cpio_add_path(ix, rel, mode);
	if (i < 0)
		return i;
	ix->ent[i].open = open;
	return 0;
}

int cpio_add_virtual(struct cpio_index *ix, const char *path,
		     int (*open)(struct file **fp))
{
	return add_virtual(ix, path, S_IFREG | 0444, open);
}

int cpio_add_device(struct cpio_index *ix, const char *path,
		    int (*open)(struct file **fp))
{
	return add_virtual(ix, path, S_IFCHR | 0666, open);
}

/* --- lookup ------------------------------------------------------------ */

/*
 * Splice symbolic link @link into the walk: the new path is its target
 * (relative to the link's directory unless absolute) followed by
 * @rest, built in @out.  0 or -ENAMETOOLONG.
 */
static int splice_link(const struct cpio_index *ix, int link,
		       const char *rest, char *out)
{
	const struct cpio_entry *e = &ix->ent[link];
	const char *target = e->data;
	const char *dir = (e->size && target[0] == '/') ? "" :
			  ix->ent[e->parent].path;
	size_t dlen = strlen(dir), rlen = strlen(rest);

	if (dlen + 1 + e->size + rlen + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(out, dir, dlen);
	out[dlen] = '/';
	memcpy(out + dlen + 1, e->data, e->size);
	memcpy(out + dlen + 1 + e->size, rest, rlen + 1);
	return 0;
}

/*
 * Walk @path one component at a time, as Linux's path walk does:
 * "." stays, ".." goes to the parent (the root's parent is the root),
 * and every component must be looked up in a directory, so
 * "/bin/ls/.." is ENOTDIR, not "/bin".  Symbolic links are followed
 * (the last component's only if @follow), at most MAXSYMLINKS of them
 * (ELOOP).
 */
int cpio_walk(const struct cpio_index *ix, const char *path, int *dir,
	      int follow)
{
	char bufs[2][PATH_MAX];
	int cur = ROOT, next, links = 0, err;
	const char *end;

	if (dir)
		*dir = -1;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!*path || !ix->n)
		return -ENOENT;
	for (;;) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		for (end = path; *end && *end != '/'; end++)
			;
		if (end - path > NAME_MAX)
			return -ENAMETOOLONG;
		if (!S_ISDIR(ix->ent[cur].mode))
			return -ENOTDIR;
		if (end - path == 2 && path[0] == '.' && path[1] == '.') {
			cur = ix->ent[cur].parent;
		} else if (!(end - path == 1 && path[0] == '.')) {
			next = find_child(ix, cur, path, end - path);
			if (next < 0) {
				if (dir && !*end)
					*dir = cur;
				return next;
			}
			if (S_ISLNK(ix->ent[next].mode) && (*end || follow)) {
				if (++links > MAXSYMLINKS)
					return -ELOOP;
				err = splice_link(ix, next, end,
						  bufs[links & 1]);
				if (err)
					return err;
				path = bufs[links & 1];
				cur = ROOT;
				continue;
			}
			cur = next;
		}
		path = end;
	}
	/* "/bin/ls/": a trailing slash asks for a directory. */
	if (path[-1] == '/' && !S_ISDIR(ix->ent[cur].mode))
		return -ENOTDIR;
	return cur;
}

int cpio_resolve(const struct cpio_index *ix, const char *path, int *dir)
{
	return cpio_walk(ix, path, dir, 1);
}

unsigned long cpio_readdir(const struct cpio_index *ix, int dir,
			   unsigned long pos, const char **name,
			   unsigned long *ino, unsigned char *type)
{
	unsigned long i;

	*type = DT_DIR;
	if (pos == 0) {
		*name = ".";
		*ino = dir + 1;
		return 1;
	}
	if (pos == 1) {
		*name = "..";
		*ino = ix->ent[dir].parent + 1;
		return 2;
	}
	for (i = pos - 2; i < (unsigned long)ix->n; i++) {
		const struct cpio_entry *e = &ix->ent[i];

		if (i == ROOT || e->parent != dir)
			continue;
		*name = e->name;
		*ino = i + 1;		/* index + 1: the root is inode 1 */
		*type = S_ISDIR(e->mode) ? DT_DIR :
			S_ISLNK(e->mode) ? DT_LNK : DT_REG;
		return i + 3;
	}
	return 0;
}
