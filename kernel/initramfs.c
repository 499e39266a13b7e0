/*
 * The initramfs: the cpio archive the boot loader loads as a module,
 * and Spoor's whole (read-only) file namespace.  This file opens what
 * a cpio_index holds (directories read with getdents, files read from
 * the archive's bytes, virtual files and devices made by their owner)
 * and keeps the boot archive's index, the one every path of every
 * process goes to.  The index itself is cpio_index.c's; reading the
 * archive, cpio_newc.c's.
 */
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/printk.h>
#include <spoor/string.h>

#include "cpio_index.h"

static struct cpio_index rootfs;	/* the boot archive */

/* --- open files -------------------------------------------------------- */

/* What an open directory reads from. */
struct dir_handle {
	const struct cpio_index *ix;
	int dir;		/* an index: the table may still grow */
	char name[NAME_MAX + 1];	/* a name the directory's lister made */
};

/*
 * The directory's entry at or after position @pos: the table's, then
 * its lister's (see struct cpio_entry).  The next position, or 0.
 */
static unsigned long dir_next(struct dir_handle *h, unsigned long pos,
			      const char **name, unsigned long *ino,
			      unsigned char *type)
{
	const struct cpio_entry *e = &h->ix->ent[h->dir];
	unsigned long next = cpio_readdir(h->ix, h->dir, pos, name, ino, type);

	if (next || !e->list)
		return next;
	*name = h->name;
	*type = DT_DIR;
	return e->list(pos, h->name, sizeof(h->name), ino);
}

/* Fill the user buffer with as many whole records as fit. */
static int dir_getdents(struct file *f, void *ubuf, size_t n, int is64)
{
	struct dir_handle *h = f->priv;
	unsigned long ino, next;
	unsigned char type;
	const char *name;
	size_t used = 0;
	long len;

	while ((next = dir_next(h, f->pos, &name, &ino, &type))) {
		len = dirent_put((char *)ubuf + used, n - used, ino, next,
				 name, type, is64);
		if (len <= 0) {
			if (used)
				break;
			return len ? len : -EINVAL;	/* buffer too small */
		}
		used += len;
		f->pos = next;
	}
	return used;
}

static void dir_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops dir_ops = {
	.getdents = dir_getdents,
	.lseek = memfile_lseek,
	.release = dir_release,
};

static const struct file_ops initramfs_file_ops = {
	.read = memfile_read,
	.lseek = memfile_lseek,
};

static int open_dir(const struct cpio_index *ix, int i, int flags,
		    struct file **fp)
{
	struct dir_handle *h = kmalloc(sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->ix = ix;
	h->dir = i;
	*fp = file_alloc(&dir_ops, flags, h);
	if (!*fp) {
		kfree(h);
		return -ENOMEM;
	}
	(*fp)->mode = ix->ent[i].mode;
	(*fp)->ino = i + 1;
	(*fp)->path = ix->ent[i].path;
	return 0;
}

static int open_file(const struct cpio_index *ix, int i, int flags,
		     struct file **fp)
{
	const struct cpio_entry *e = &ix->ent[i];
	int err;

	if (e->open) {
		err = e->open(fp);
		if (!err)	/* a device's reads may be O_NONBLOCK */
			(*fp)->flags = flags;
	} else {
		*fp = file_alloc(&initramfs_file_ops, flags, (void *)e->data);
		err = *fp ? 0 : -ENOMEM;
		if (*fp)
			(*fp)->size = e->size;
	}
	if (err)
		return err;
	(*fp)->mode = e->mode;
	(*fp)->ino = i + 1;
	return 0;
}

/*
 * Linux's order of checks: creating a name that does not exist is
 * EROFS (if its directory exists); a directory refuses writing and
 * O_CREAT (EISDIR); a file refuses O_DIRECTORY (ENOTDIR), then
 * anything that would change it (EROFS: the namespace is read-only).
 */
int cpio_open(const struct cpio_index *ix, const char *path, int flags,
	      struct file **fp)
{
	int dir, i = cpio_resolve(ix, path, &dir);
	int writes = (flags & O_ACCMODE) != O_RDONLY;

	if (i == -ENOENT && dir >= 0 && (flags & O_CREAT))
		return -EROFS;
	if (i < 0)
		return i;
	if (S_ISDIR(ix->ent[i].mode)) {
		if (writes || (flags & O_CREAT))
			return -EISDIR;
		return open_dir(ix, i, flags, fp);
	}
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if (S_ISCHR(ix->ent[i].mode))	/* a device: writable, no contents */
		return open_file(ix, i, flags & ~O_TRUNC, fp);
	if (writes || (flags & (O_CREAT | O_TRUNC)))
		return -EROFS;
	return open_file(ix, i, flags, fp);
}

/* --- the boot archive -------------------------------------------------- */

int initramfs_open(const char *path, int flags, struct file **fp)
{
	return cpio_open(&rootfs, path, flags, fp);
}

int initramfs_add_virtual(const char *path, int (*open)(struct file **fp))
{
	return cpio_add_virtual(&rootfs, path, open);
}

int initramfs_add_device(const char *path, int (*open)(struct file **fp))
{
	return cpio_add_device(&rootfs, path, open);
}

int initramfs_add_lister(const char *path,
			 unsigned long (*list)(unsigned long pos, char *name,
					       size_t size, unsigned long *ino))
{
	int i = cpio_resolve(&rootfs, path, NULL);

	if (i < 0)
		return i;
	if (!S_ISDIR(rootfs.ent[i].mode))
		return -ENOTDIR;
	rootfs.ent[i].list = list;
	return 0;
}

int initramfs_lookup(const char *path, const void **data, size_t *size)
{
	int i = cpio_resolve(&rootfs, path, NULL);

	if (i < 0)
		return i;
	if (S_ISDIR(rootfs.ent[i].mode))
		return -EISDIR;
	if (rootfs.ent[i].open)		/* virtual: no bytes to execute */
		return -EACCES;
	*data = rootfs.ent[i].data;
	*size = rootfs.ent[i].size;
	return 0;
}

/*
 * Entry @i as stat sees it: the root is inode 1; a virtual /proc file
 * has size 0 until read, as on Linux.
 */
static void entry_stat(const struct cpio_index *ix, int i, struct kstat *st)
{
	const struct cpio_entry *e = &ix->ent[i];

	memset(st, 0, sizeof(*st));
	st->mode = e->mode;
	st->ino = i + 1;
	st->nlink = S_ISDIR(e->mode) ? 2 : 1;
	st->size = e->open ? 0 : e->size;
}

int initramfs_stat(const char *path, int follow, struct kstat *st)
{
	int i = cpio_walk(&rootfs, path, NULL, follow);

	if (i < 0)
		return i;
	entry_stat(&rootfs, i, st);
	return 0;
}

int initramfs_readlink(const char *path, const char **target, size_t *len)
{
	int i = cpio_walk(&rootfs, path, NULL, 0);

	if (i < 0)
		return i;
	if (!S_ISLNK(rootfs.ent[i].mode))
		return -EINVAL;
	*target = rootfs.ent[i].data;
	*len = rootfs.ent[i].size;
	return 0;
}

int initramfs_dir(const char *path, const char **canon)
{
	int i = cpio_resolve(&rootfs, path, NULL);

	if (i < 0)
		return i;
	if (!S_ISDIR(rootfs.ent[i].mode))
		return -ENOTDIR;
	*canon = rootfs.ent[i].path;
	return 0;
}

void initramfs_init(const void *start, size_t size)
{
	int err = cpio_index_init(&rootfs, start, size);

	if (err)
		printk("initramfs: archive damaged or too big (%d); "
		       "keeping what came before\n", err);
	printk("initramfs: %d entries, %d skipped, %zu bytes\n",
	       rootfs.n, rootfs.skipped, size);
	procfs_init();		/* mount /proc: its files join the table */
}
