/*
 * The initramfs: a cpio "newc" archive the boot loader loads as a
 * module, and Spoor's whole (read-only) file namespace.  At boot the
 * archive is parsed into a cpio_index, a table of entries with their
 * canonical paths; file bytes stay in the archive.  Directories need no
 * entries of their own in the archive: every file's path implies them.
 * procfs adds its virtual files to the same table, so "/proc" lists
 * and resolves like any other directory.
 *
 * newc, per member: a 110-byte header of ASCII fields (magic "070701",
 * then 13 eight-digit hex numbers), the NUL-terminated name, padding to
 * 4 bytes, the data, padding to 4 bytes.  The member named
 * "TRAILER!!!" ends the archive.
 */
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/printk.h>
#include <spoor/string.h>

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
#define ROOT		0	/* index of "/" in every cpio_index */
#define MAXSYMLINKS	8	/* links followed in one lookup */

_Static_assert(sizeof(struct newc_header) == NEWC_HEADER, "newc header");

static struct cpio_index rootfs;	/* the boot archive */

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
static int canonical_name(const char *name, char *out)
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
static int add_path(struct cpio_index *ix, const char *rel, mode_t mode)
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
	if (canonical_name(name, rel) < 0)
		goto skip;
	i = add_path(ix, rel, mode);
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
static int parse(struct cpio_index *ix, const char *start, size_t size)
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

int cpio_index_init(struct cpio_index *ix, const void *start, size_t size)
{
	memset(ix, 0, sizeof(*ix));
	if (add_entry(ix, -1, "", 0, S_IFDIR | 0755) < 0)
		return -ENOMEM;
	if (!size)			/* no archive: an empty root */
		return 0;
	return parse(ix, start, size);
}

void cpio_index_free(struct cpio_index *ix)
{
	int i;

	for (i = 0; i < ix->n; i++)
		kfree(ix->ent[i].path);
	kfree(ix->ent);
	memset(ix, 0, sizeof(*ix));
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
static int resolve(const struct cpio_index *ix, const char *path, int *dir,
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
	return resolve(ix, path, dir, 1);
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

/* A virtual file (@mode S_IFREG) or character device (S_IFCHR). */
static int add_virtual(struct cpio_index *ix, const char *path, mode_t mode,
		       int (*open)(struct file **fp))
{
	char rel[PATH_MAX];
	int i;

	if (!ix->n)			/* no root: the index never got going */
		return -ENOMEM;
	i = canonical_name(path, rel);
	if (i < 0)
		return i;
	i = add_path(ix, rel, mode);
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
	int i = resolve(&rootfs, path, NULL, follow);

	if (i < 0)
		return i;
	entry_stat(&rootfs, i, st);
	return 0;
}

int initramfs_readlink(const char *path, const char **target, size_t *len)
{
	int i = resolve(&rootfs, path, NULL, 0);

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
