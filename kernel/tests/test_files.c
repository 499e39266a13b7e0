/*
 * ktest suite "files": the file layer without user processes.  The
 * cpio parser and path walk run on a small archive of the test's own
 * (the boot archive's index is never touched).  The system calls run
 * on the idle task with a borrowed descriptor table and one user page
 * mapped in a scratch address space, so copy_to_user has somewhere to
 * go; nothing here may block.
 */
#include <asm/paging.h>
#include <asm/x86.h>
#include <spoor/console.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/ktest.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/syscalls_fs.h>
#include <spoor/vm.h>
#include "kt_user.h"

/* A newc header: 14 fields; only mode, filesize and namesize matter. */
#define NEWC(mode, filesize, namesize)					\
	"070701" "00000000" mode "00000000" "00000000" "00000001"	\
	"00000000" filesize "00000000" "00000000" "00000000"		\
	"00000000" namesize "00000000"

/*
 * What `find . | cpio -o -H newc` makes of ./etc/motd ("hello\n") and
 * an empty ./etc/rc.d, plus bin/sh written without "./" and without an
 * entry for bin, as other archivers do.  The 110-byte header plus the
 * name is padded to 4 bytes, and so is the data.
 */
static const char archive[] =
	NEWC("000041ed", "00000000", "00000002") ".\0"
	NEWC("000041ed", "00000000", "00000006") "./etc\0"
	NEWC("000081a4", "00000006", "0000000b") "./etc/motd\0" "\0\0\0"
	"hello\n" "\0\0"
	NEWC("000041ed", "00000000", "0000000b") "./etc/rc.d\0" "\0\0\0"
	NEWC("000081ed", "00000004", "00000007") "bin/sh\0" "\0\0\0"
	"\177ELF"
	NEWC("00000000", "00000000", "0000000b") "TRAILER!!!\0" "\0\0\0";

#define ARCHIVE_SIZE	(sizeof(archive) - 1)

static struct cpio_index ix;

static int parse(const void *a, size_t size)
{
	return cpio_index_init(&ix, a, size);
}

/* Where @s first occurs in the archive. */
static size_t offset_of(const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i + n <= ARCHIVE_SIZE; i++)
		if (!memcmp(archive + i, s, n))
			return i;
	return 0;
}

static void cpio_parses_newc(struct kt_test *t)
{
	unsigned long heap = kmalloc_bytes_in_use();
	const struct cpio_entry *e;
	int i;

	KT_ASSERT_EQ(t, parse(archive, ARCHIVE_SIZE), 0);
	KT_EXPECT_EQ(t, ix.n, 6);	/* / etc motd rc.d bin sh */
	KT_EXPECT_EQ(t, ix.skipped, 0);
	i = cpio_resolve(&ix, "/etc/motd", NULL);
	KT_ASSERT_GT(t, i, 0);
	e = &ix.ent[i];
	KT_EXPECT_TRUE(t, S_ISREG(e->mode));
	KT_EXPECT_EQ(t, e->size, 6);
	KT_EXPECT_EQ(t, memcmp(e->data, "hello\n", 6), 0);
	KT_EXPECT_STREQ(t, e->name, "motd");
	i = cpio_resolve(&ix, "/bin/sh", NULL);
	KT_ASSERT_GT(t, i, 0);
	KT_EXPECT_EQ(t, ix.ent[i].size, 4);
	KT_EXPECT_EQ(t, memcmp(ix.ent[i].data, "\177ELF", 4), 0);
	i = cpio_resolve(&ix, "/bin", NULL);	/* implied by bin/sh */
	KT_ASSERT_GT(t, i, 0);
	KT_EXPECT_TRUE(t, S_ISDIR(ix.ent[i].mode));
	i = cpio_resolve(&ix, "/etc/rc.d", NULL);
	KT_ASSERT_GT(t, i, 0);
	KT_EXPECT_TRUE(t, S_ISDIR(ix.ent[i].mode));
	cpio_index_free(&ix);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), heap);
}

static void cpio_resolves_paths(struct kt_test *t)
{
	static const struct {
		const char *path, *want;	/* want NULL: expect err */
		int err;
	} cases[] = {
		{ "/etc/motd", "/etc/motd", 0 },
		{ "//etc///motd", "/etc/motd", 0 },
		{ "/etc/./motd", "/etc/motd", 0 },
		{ "/etc/rc.d/../motd", "/etc/motd", 0 },
		{ "/../../etc/motd", "/etc/motd", 0 },
		{ "etc/motd", "/etc/motd", 0 },		/* cwd is / */
		{ "/", "/", 0 },
		{ "/bin/", "/bin", 0 },
		{ "/etc/rc.d/.", "/etc/rc.d", 0 },
		{ "", NULL, -ENOENT },
		{ "/nope", NULL, -ENOENT },
		{ "/etc/nope/motd", NULL, -ENOENT },
		{ "/etc/motd/", NULL, -ENOTDIR },
		{ "/etc/motd/x", NULL, -ENOTDIR },
		{ "/etc/motd/.", NULL, -ENOTDIR },
		{ "/bin/sh/..", NULL, -ENOTDIR },
	};
	char path[PATH_MAX + 1];
	unsigned k;
	int i, dir;

	KT_ASSERT_EQ(t, parse(archive, ARCHIVE_SIZE), 0);
	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		i = cpio_resolve(&ix, cases[k].path, NULL);
		if (!cases[k].want) {
			if (i != cases[k].err)
				kt_log(t, "path \"%s\"", cases[k].path);
			KT_EXPECT_EQ(t, i, cases[k].err);
		} else if (i < 0) {
			kt_log(t, "path \"%s\"", cases[k].path);
			KT_EXPECT_GE(t, i, 0);
		} else {
			KT_EXPECT_STREQ(t, ix.ent[i].path, cases[k].want);
		}
	}
	/* A missing last component reports its directory (for O_CREAT). */
	KT_EXPECT_EQ(t, cpio_resolve(&ix, "/etc/new", &dir), -ENOENT);
	KT_EXPECT_EQ(t, dir, cpio_resolve(&ix, "/etc", NULL));
	KT_EXPECT_EQ(t, cpio_resolve(&ix, "/nope/new", &dir), -ENOENT);
	KT_EXPECT_EQ(t, dir, -1);
	/* 255 bytes is a path; 256 is too long. */
	memset(path, 'a', PATH_MAX);
	path[0] = '/';
	path[PATH_MAX - 1] = '\0';
	KT_EXPECT_EQ(t, cpio_resolve(&ix, path, NULL), -ENOENT);
	path[PATH_MAX - 1] = 'a';
	path[PATH_MAX] = '\0';
	KT_EXPECT_EQ(t, cpio_resolve(&ix, path, NULL), -ENAMETOOLONG);
	cpio_index_free(&ix);
}

static int no_open(struct file **fp)
{
	(void)fp;
	return -ENOSYS;
}

/* The names directory @path lists, space-separated, into @out. */
static void listing(const char *path, char *out, size_t size)
{
	int dir = cpio_resolve(&ix, path, NULL);
	unsigned long pos = 0, ino;
	unsigned char type;
	const char *name;

	out[0] = '\0';
	while (dir >= 0 && (pos = cpio_readdir(&ix, dir, pos, &name, &ino,
					       &type))) {
		if (strlen(out) + strlen(name) + 3 < size) {
			strcat(out, name);
			strcat(out, type == DT_DIR ? "/ " : " ");
		}
	}
}

static void cpio_lists_directories(struct kt_test *t)
{
	unsigned long ino;
	unsigned char type;
	const char *name;
	char names[128];
	int etc;

	KT_ASSERT_EQ(t, parse(archive, ARCHIVE_SIZE), 0);
	listing("/", names, sizeof(names));
	KT_EXPECT_STREQ(t, names, "./ ../ etc/ bin/ ");
	listing("/etc", names, sizeof(names));
	KT_EXPECT_STREQ(t, names, "./ ../ motd rc.d/ ");
	listing("/etc/rc.d", names, sizeof(names));
	KT_EXPECT_STREQ(t, names, "./ ../ ");
	/* ".." of /etc is the root, whose inode number is 1. */
	etc = cpio_resolve(&ix, "/etc", NULL);
	KT_EXPECT_EQ(t, cpio_readdir(&ix, etc, 1, &name, &ino, &type), 2);
	KT_EXPECT_EQ(t, ino, 1);
	/* A virtual file brings its directory into the root, as /proc. */
	KT_EXPECT_EQ(t, cpio_add_virtual(&ix, "/proc/tasks", no_open), 0);
	listing("/", names, sizeof(names));
	KT_EXPECT_STREQ(t, names, "./ ../ etc/ bin/ proc/ ");
	listing("/proc", names, sizeof(names));
	KT_EXPECT_STREQ(t, names, "./ ../ tasks ");
	cpio_index_free(&ix);
}

/* Parse a damaged copy of the archive; returns the parse result. */
static int parse_damaged(char *copy, size_t at, const char *patch,
			 size_t size)
{
	memcpy(copy, archive, ARCHIVE_SIZE);
	memcpy(copy + at, patch, strlen(patch));
	return parse(copy, size);
}

static void cpio_rejects_damage(struct kt_test *t)
{
	static char copy[sizeof(archive)];
	size_t motd = offset_of("./etc/motd"), hello = offset_of("hello");
	size_t trailer = offset_of("TRAILER!!!") - 110;	/* its header */
	unsigned long heap = kmalloc_bytes_in_use();

	KT_EXPECT_EQ(t, parse_damaged(copy, 0, "X", ARCHIVE_SIZE), -EINVAL);
	KT_EXPECT_EQ(t, ix.n, 1);			/* just the root */
	cpio_index_free(&ix);
	/* Cut inside motd's data: what came before is kept. */
	KT_EXPECT_EQ(t, parse_damaged(copy, 0, "", hello + 3), -EINVAL);
	KT_EXPECT_EQ(t, ix.n, 2);			/* / and /etc */
	cpio_index_free(&ix);
	/* No trailer. */
	KT_EXPECT_EQ(t, parse_damaged(copy, 0, "", trailer), -EINVAL);
	KT_EXPECT_EQ(t, ix.n, 6);
	cpio_index_free(&ix);
	/* A name running past the end; a field that is not hex. */
	KT_EXPECT_EQ(t, parse_damaged(copy, motd - 16, "0000ffff",
				      ARCHIVE_SIZE), -EINVAL);
	cpio_index_free(&ix);
	KT_EXPECT_EQ(t, parse_damaged(copy, motd - 110 + 14, "z",
				      ARCHIVE_SIZE), -EINVAL);
	cpio_index_free(&ix);
	/* "..": skipped, and /etc still comes from etc/motd's path. */
	KT_EXPECT_EQ(t, parse_damaged(copy, offset_of("./etc\0"), "../et",
				      ARCHIVE_SIZE), 0);
	KT_EXPECT_EQ(t, ix.skipped, 1);
	KT_EXPECT_GT(t, cpio_resolve(&ix, "/etc/motd", NULL), 0);
	KT_EXPECT_EQ(t, cpio_resolve(&ix, "/et", NULL), -ENOENT);
	cpio_index_free(&ix);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), heap);
}

static void cpio_open_checks_flags(struct kt_test *t)
{
	static const struct {
		const char *path;
		int flags, err;
	} cases[] = {
		{ "/etc/motd", O_RDONLY, 0 },
		{ "/etc/motd", O_WRONLY, -EROFS },
		{ "/etc/motd", O_RDWR, -EROFS },
		{ "/etc/motd", O_RDONLY | O_CREAT, -EROFS },
		{ "/etc/motd", O_RDONLY | O_TRUNC, -EROFS },
		{ "/etc/motd", O_RDONLY | O_DIRECTORY, -ENOTDIR },
		{ "/etc/motd/", O_RDONLY, -ENOTDIR },
		{ "/etc", O_RDONLY, 0 },
		{ "/etc", O_RDONLY | O_DIRECTORY, 0 },
		{ "/etc", O_WRONLY, -EISDIR },
		{ "/etc", O_RDONLY | O_CREAT, -EISDIR },
		{ "/nope", O_RDONLY, -ENOENT },
		{ "/nope", O_WRONLY | O_CREAT, -EROFS },
		{ "/nope/x", O_WRONLY | O_CREAT, -ENOENT },
	};
	unsigned long heap = kmalloc_bytes_in_use();
	struct file *f;
	unsigned k;
	int err;

	KT_ASSERT_EQ(t, parse(archive, ARCHIVE_SIZE), 0);
	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		err = cpio_open(&ix, cases[k].path, cases[k].flags, &f);
		if (err != cases[k].err)
			kt_log(t, "open(\"%s\", %#o)", cases[k].path,
			       cases[k].flags);
		KT_EXPECT_EQ(t, err, cases[k].err);
		if (!err)
			file_put(f);
	}
	cpio_index_free(&ix);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), heap);
}

static void dirent_records(struct kt_test *t)
{
	unsigned char rec[DIRENT_MAX];
	char name[NAME_MAX + 2];
	unsigned short reclen;
	uint32_t ino, off;

	memset(rec, 0xff, sizeof(rec));
	KT_ASSERT_EQ(t, dirent_encode(rec, sizeof(rec), 7, 3, "ls", DT_REG),
		     16);			/* 10 + "ls\0" + type, to 4 */
	memcpy(&ino, rec, 4);
	memcpy(&off, rec + 4, 4);
	memcpy(&reclen, rec + 8, 2);
	KT_EXPECT_EQ(t, ino, 7);
	KT_EXPECT_EQ(t, off, 3);
	KT_EXPECT_EQ(t, reclen, 16);
	KT_EXPECT_STREQ(t, (char *)rec + DIRENT_NAME_OFFSET, "ls");
	KT_EXPECT_EQ(t, rec[13], 0);		/* padding is zero */
	KT_EXPECT_EQ(t, rec[15], DT_REG);	/* type: the last byte */
	KT_EXPECT_EQ(t, dirent_encode(rec, 15, 7, 3, "ls", DT_REG), 0);
	KT_EXPECT_EQ(t, dirent_encode(rec, 16, 1, 1, "ab", DT_DIR), 16);
	KT_EXPECT_EQ(t, dirent_encode(rec, 16, 1, 1, "abcd", DT_DIR), 16);
	KT_EXPECT_EQ(t, dirent_encode(rec, 16, 1, 1, "abcde", DT_DIR), 0);
	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	KT_EXPECT_EQ(t, dirent_encode(rec, sizeof(rec), 1, 1, name, DT_REG),
		     DIRENT_MAX);
	name[NAME_MAX] = 'n';
	name[NAME_MAX + 1] = '\0';
	KT_EXPECT_EQ(t, dirent_encode(rec, sizeof(rec), 1, 1, name, DT_REG),
		     0);
}

static void pipe_ring_wraps(struct kt_test *t)
{
	struct pipe_ring r = { kmalloc(PIPE_SIZE), 0, 0 };
	char *p;

	KT_ASSERT_PTR_NE(t, r.buf, NULL);
	KT_EXPECT_EQ(t, pipe_ring_read_span(&r, &p), 0);
	KT_EXPECT_EQ(t, pipe_ring_write_span(&r, &p), PIPE_SIZE);
	/* Near the end of the buffer and of the counters' range. */
	r.head = r.tail = 0u - 3;
	KT_EXPECT_EQ(t, pipe_ring_write_span(&r, &p), 3);
	KT_EXPECT_PTR_EQ(t, p, r.buf + PIPE_SIZE - 3);
	r.head += 3;				/* wraps to 0 */
	KT_EXPECT_EQ(t, pipe_ring_used(&r), 3);
	KT_EXPECT_EQ(t, pipe_ring_write_span(&r, &p), PIPE_SIZE - 3);
	KT_EXPECT_PTR_EQ(t, p, r.buf);
	r.head += PIPE_SIZE - 3;
	KT_EXPECT_EQ(t, pipe_ring_room(&r), 0);
	KT_EXPECT_EQ(t, pipe_ring_write_span(&r, &p), 0);
	KT_EXPECT_EQ(t, pipe_ring_read_span(&r, &p), 3);
	KT_EXPECT_PTR_EQ(t, p, r.buf + PIPE_SIZE - 3);
	r.tail += 3;
	KT_EXPECT_EQ(t, pipe_ring_read_span(&r, &p), PIPE_SIZE - 3);
	KT_EXPECT_PTR_EQ(t, p, r.buf);
	kfree(r.buf);
}

/* The number after "@key " in @text, or -1. */
static long field(const char *text, const char *key)
{
	const char *s = strstr(text, key);
	long v = 0;

	if (!s)
		return -1;
	for (s += strlen(key) + 1; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v;
}

static void procfs_texts(struct kt_test *t)
{
	char buf[512];
	size_t len;

	len = procfs_meminfo_text(buf, sizeof(buf));
	KT_EXPECT_EQ(t, len, strlen(buf));
	KT_EXPECT_EQ(t, strncmp(buf, "free_pages ", 11), 0);
	KT_EXPECT_EQ(t, field(buf, "total_pages"), nr_total_pages());
	KT_EXPECT_EQ(t, field(buf, "heap_bytes"), kmalloc_bytes_in_use());
	KT_EXPECT_EQ(t, buf[len - 1], '\n');
	len = procfs_tasks_text(buf, sizeof(buf));
	KT_EXPECT_EQ(t, len, procfs_tasks_text(NULL, 0));
	KT_EXPECT_EQ(t, strncmp(buf, "PID PPID STATE NAME\n", 20), 0);
	/* Truncation keeps the terminator and reports the full length. */
	KT_EXPECT_EQ(t, procfs_tasks_text(buf, 4), len);
	KT_EXPECT_STREQ(t, buf, "PID");
}

/* --- descriptor tables ------------------------------------------------- */

static int releases;

static void count_release(struct file *f)
{
	(void)f;
	releases++;
}

static const struct file_ops counted_ops = { .release = count_release };

static void fd_table_lifecycle(struct kt_test *t)
{
	unsigned long heap = kmalloc_bytes_in_use();
	struct files_struct *fs = files_alloc(), *copy;
	struct file *f;
	int fd;

	KT_ASSERT_PTR_NE(t, fs, NULL);
	releases = 0;
	for (fd = 0; fd < NR_OPEN; fd++)
		KT_EXPECT_EQ(t, fd_install(fs, file_alloc(&counted_ops,
				O_RDONLY, NULL), fd == 5), fd);
	f = file_alloc(&counted_ops, O_RDONLY, NULL);
	KT_EXPECT_EQ(t, fd_install(fs, f, 0), -EMFILE);
	file_put(f);
	KT_EXPECT_EQ(t, releases, 1);
	/* fork: shared files, cloexec bits copied */
	copy = files_copy(fs);
	KT_ASSERT_PTR_NE(t, copy, NULL);
	KT_EXPECT_EQ(t, fs->fd[3]->refcount, 2);
	files_close_on_exec(copy);
	KT_EXPECT_PTR_EQ(t, copy->fd[5], NULL);
	KT_EXPECT_EQ(t, fs->fd[5]->refcount, 1);
	KT_EXPECT_EQ(t, fd_install(copy, file_alloc(&counted_ops, O_RDONLY,
						    NULL), 0), 5);
	files_release(fs);
	KT_EXPECT_EQ(t, releases, 2);		/* only fs's own fd 5 */
	files_release(copy);
	KT_EXPECT_EQ(t, releases, 2 + NR_OPEN);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), heap);
}

/* --- system calls, with one user page ---------------------------------- */

#define KPTR	((void *)0xC0100000u)	/* kernel memory: EFAULT */

struct user_env {
	struct kt_user user;	/* the scratch address space */
	struct files_struct *files, *saved;
	char *u;		/* its user page */
	unsigned long heap;	/* heap bytes before */
};

/* Borrow the idle task: a fresh descriptor table, one user page. */
static int user_env_enter(struct user_env *env)
{
	env->heap = kmalloc_bytes_in_use();
	env->files = files_alloc();
	if (!env->files || kt_user_enter(&env->user, 1)) {
		files_release(env->files);
		return -ENOMEM;
	}
	env->saved = current->files;
	current->files = env->files;
	env->u = env->user.base;
	return 0;
}

/* Give everything back; heap bytes must be as before. */
static void user_env_leave(struct kt_test *t, struct user_env *env)
{
	current->files = env->saved;
	files_release(env->files);
	kt_user_leave(&env->user);
	KT_EXPECT_EQ(t, kmalloc_bytes_in_use(), env->heap);
}

/* Open @path of the test archive on the lowest free descriptor. */
static int open_fd(const char *path, int flags)
{
	struct file *f;
	int err = cpio_open(&ix, path, flags, &f);

	return err ? err : fd_install(current->files, f, 0);
}

static void fd_syscall_errors(struct kt_test *t)
{
	struct user_env env;
	struct file *tty;
	int fd;

	if (user_env_enter(&env))
		KT_SKIP(t, "no memory for a user page");
	tty = tty_open(O_WRONLY);
	fd = fd_install(current->files, tty, 0);
	KT_EXPECT_EQ(t, fd, 0);
	KT_EXPECT_EQ(t, sys_close(-1), -EBADF);
	KT_EXPECT_EQ(t, sys_close(NR_OPEN), -EBADF);
	KT_EXPECT_EQ(t, sys_close(1), -EBADF);
	KT_EXPECT_EQ(t, sys_read(7, env.u, 1), -EBADF);
	KT_EXPECT_EQ(t, sys_read(0, env.u, 1), -EBADF);	/* O_WRONLY */
	KT_EXPECT_EQ(t, sys_write(0, env.u, 0), 0);
	KT_EXPECT_EQ(t, sys_write(0, KPTR, 1), -EFAULT);
	/* KTAP diagnostic, indented as this suite's lines are */
	memcpy(env.u, "    # tty write\n", 16);
	KT_EXPECT_EQ(t, sys_write(0, env.u, 16), 16);
	KT_EXPECT_EQ(t, sys_lseek(0, 0, SEEK_SET), -ESPIPE);
	KT_EXPECT_EQ(t, sys_getdents(0, env.u, 100), -ENOTDIR);
	KT_EXPECT_EQ(t, sys_ioctl(0, 0x5414, 0), -ENOTTY); /* TIOCSWINSZ */
	KT_EXPECT_EQ(t, sys_open(KPTR, O_RDONLY, 0), -EFAULT);
	/* dup: lowest free; dup2: same fd is a no-op, replaces, checks */
	KT_EXPECT_EQ(t, sys_dup(0), 1);
	KT_EXPECT_EQ(t, sys_dup2(1, 1), 1);
	KT_EXPECT_EQ(t, sys_dup2(5, 1), -EBADF);
	KT_EXPECT_EQ(t, sys_dup2(0, NR_OPEN), -EBADF);
	KT_EXPECT_EQ(t, sys_dup2(0, 9), 9);
	KT_EXPECT_EQ(t, sys_dup2(9, 1), 1);	/* closes the old 1 */
	KT_EXPECT_EQ(t, tty->refcount, 3);
	KT_EXPECT_EQ(t, sys_close(9), 0);
	KT_EXPECT_EQ(t, sys_close(9), -EBADF);
	for (fd = 2; fd < NR_OPEN; fd++)
		KT_EXPECT_EQ(t, sys_dup(0), fd);
	KT_EXPECT_EQ(t, sys_dup(0), -EMFILE);
	KT_EXPECT_EQ(t, sys_pipe((int *)env.u), -EMFILE);
	user_env_leave(t, &env);
}

static void file_read_seek_getdents(struct kt_test *t)
{
	struct user_env env;
	int fd, dfd, n;
	long r;

	KT_ASSERT_EQ(t, parse(archive, ARCHIVE_SIZE), 0);
	if (user_env_enter(&env)) {
		cpio_index_free(&ix);
		KT_SKIP(t, "no memory for a user page");
	}
	fd = open_fd("/etc/motd", O_RDONLY);
	KT_EXPECT_EQ(t, fd, 0);
	KT_EXPECT_EQ(t, sys_read(fd, env.u, 3), 3);
	KT_EXPECT_EQ(t, memcmp(env.u, "hel", 3), 0);
	KT_EXPECT_EQ(t, sys_read(fd, env.u, 100), 3);
	KT_EXPECT_EQ(t, memcmp(env.u, "lo\n", 3), 0);
	KT_EXPECT_EQ(t, sys_read(fd, env.u, 100), 0);
	KT_EXPECT_EQ(t, sys_read(fd, KPTR, 1), -EFAULT);
	KT_EXPECT_EQ(t, sys_write(fd, env.u, 1), -EBADF);
	KT_EXPECT_EQ(t, sys_lseek(fd, -2, SEEK_END), 4);
	KT_EXPECT_EQ(t, sys_read(fd, env.u, 100), 2);
	KT_EXPECT_EQ(t, sys_lseek(fd, 1, SEEK_SET), 1);
	KT_EXPECT_EQ(t, sys_lseek(fd, 2, SEEK_CUR), 3);
	KT_EXPECT_EQ(t, sys_lseek(fd, -4, SEEK_CUR), -EINVAL);
	KT_EXPECT_EQ(t, sys_lseek(fd, 0, 7), -EINVAL);
	KT_EXPECT_EQ(t, sys_lseek(fd, 100, SEEK_SET), 100);
	KT_EXPECT_EQ(t, sys_read(fd, env.u, 1), 0);
	KT_EXPECT_EQ(t, sys_getdents(fd, env.u, 100), -ENOTDIR);

	dfd = open_fd("/etc", O_RDONLY | O_DIRECTORY);
	KT_EXPECT_EQ(t, dfd, 1);
	KT_EXPECT_EQ(t, sys_read(dfd, env.u, 10), -EISDIR);
	KT_EXPECT_EQ(t, sys_getdents(dfd, env.u, 10), -EINVAL);
	/* ".", "..", "motd", "rc.d": 16 bytes each */
	KT_EXPECT_EQ(t, sys_getdents(dfd, env.u, PAGE_SIZE), 64);
	KT_EXPECT_STREQ(t, env.u + 48 + DIRENT_NAME_OFFSET, "rc.d");
	KT_EXPECT_EQ(t, env.u[63], DT_DIR);
	KT_EXPECT_EQ(t, sys_getdents(dfd, env.u, PAGE_SIZE), 0);
	/* rewinddir; then a buffer that holds one record at a time */
	KT_EXPECT_EQ(t, sys_lseek(dfd, 0, SEEK_SET), 0);
	KT_EXPECT_EQ(t, sys_getdents(dfd, env.u, 30), 16);
	n = 0;
	while ((r = sys_getdents(dfd, env.u, 30)) > 0)
		n += r;
	KT_EXPECT_EQ(t, n, 48);
	user_env_leave(t, &env);
	cpio_index_free(&ix);
}

static void pipe_syscalls(struct kt_test *t)
{
	struct user_env env;
	struct file *rd, *wr;
	int *fds;

	if (user_env_enter(&env))
		KT_SKIP(t, "no memory for a user page");
	fds = (int *)(env.u + PAGE_SIZE - 8);
	KT_EXPECT_EQ(t, sys_pipe(KPTR), -EFAULT);
	KT_EXPECT_PTR_EQ(t, current->files->fd[0], NULL);
	KT_ASSERT_EQ(t, sys_pipe(fds), 0);
	KT_EXPECT_EQ(t, fds[0], 0);
	KT_EXPECT_EQ(t, fds[1], 1);
	rd = current->files->fd[0];
	wr = current->files->fd[1];
	rd->flags |= O_NONBLOCK;	/* nothing here may sleep */
	wr->flags |= O_NONBLOCK;
	KT_EXPECT_EQ(t, sys_write(0, env.u, 1), -EBADF);
	KT_EXPECT_EQ(t, sys_read(1, env.u, 1), -EBADF);
	KT_EXPECT_EQ(t, sys_lseek(0, 0, SEEK_SET), -ESPIPE);
	KT_EXPECT_EQ(t, sys_read(0, env.u, 1), -EAGAIN);
	memcpy(env.u, "abc", 3);
	KT_EXPECT_EQ(t, sys_write(1, env.u, 3), 3);
	KT_EXPECT_EQ(t, sys_read(0, env.u + 8, 100), 3);
	KT_EXPECT_EQ(t, memcmp(env.u + 8, "abc", 3), 0);
	/* Fill it; a small write is all or nothing, a big one partial. */
	KT_EXPECT_EQ(t, sys_write(1, env.u, PIPE_SIZE - 2), PIPE_SIZE - 2);
	KT_EXPECT_EQ(t, sys_write(1, env.u, 3), -EAGAIN);
	KT_EXPECT_EQ(t, sys_write(1, env.u, PIPE_BUF + 1), 2);
	KT_EXPECT_EQ(t, sys_read(0, env.u, PAGE_SIZE - 8), PIPE_SIZE - 8);
	KT_EXPECT_EQ(t, sys_read(0, env.u, 100), 8);
	/* Writer gone: end of file.  Reader gone: SIGPIPE and EPIPE. */
	KT_EXPECT_EQ(t, sys_write(1, env.u, 5), 5);
	KT_EXPECT_EQ(t, sys_close(1), 0);
	KT_EXPECT_EQ(t, sys_read(0, env.u, 100), 5);
	KT_EXPECT_EQ(t, sys_read(0, env.u, 100), 0);
	KT_EXPECT_EQ(t, sys_close(0), 0);
	KT_ASSERT_EQ(t, sys_pipe(fds), 0);
	KT_EXPECT_EQ(t, sys_close(fds[0]), 0);
	KT_EXPECT_EQ(t, sys_write(fds[1], env.u, 1), -EPIPE);
	KT_EXPECT_TRUE(t, current->sig.pending & sigmask(SIGPIPE));
	current->sig.pending &= ~sigmask(SIGPIPE);
	user_env_leave(t, &env);
}

static void tty_ioctls_and_input(struct kt_test *t)
{
	struct user_env env;
	uint32_t flags;
	int i;

	if (user_env_enter(&env))
		KT_SKIP(t, "no memory for a user page");
	KT_ASSERT_EQ(t, fd_install(current->files, tty_open(O_RDWR), 0), 0);
	memset(env.u, 0xff, 64);
	KT_EXPECT_EQ(t, sys_ioctl(0, 0x5401, (uintptr_t)env.u), 0); /* TCGETS */
	for (i = 0; i < 36 && !env.u[i]; i++)
		;
	KT_EXPECT_EQ(t, i, 36);
	KT_EXPECT_EQ(t, sys_ioctl(0, 0x5401, (uintptr_t)KPTR), -EFAULT);
	/* The foreground group: suite "pgrp". */
	current->files->fd[0]->flags |= O_NONBLOCK;
	flags = irq_save();
	while (console_getc() >= 0)	/* drop stray input */
		;
	irq_restore(flags);
	KT_EXPECT_EQ(t, sys_read(0, env.u, 8), -EAGAIN);
	flags = irq_save();
	console_input('o');
	console_input('k');
	irq_restore(flags);
	KT_EXPECT_EQ(t, sys_read(0, env.u, 8), 2);
	KT_EXPECT_EQ(t, memcmp(env.u, "ok", 2), 0);
	user_env_leave(t, &env);
}

KT_SUITE(files_suite, "files",
	 KT_CASE(cpio_parses_newc),
	 KT_CASE(cpio_resolves_paths),
	 KT_CASE(cpio_lists_directories),
	 KT_CASE(cpio_rejects_damage),
	 KT_CASE(cpio_open_checks_flags),
	 KT_CASE(dirent_records),
	 KT_CASE(pipe_ring_wraps),
	 KT_CASE(procfs_texts),
	 KT_CASE(fd_table_lifecycle),
	 KT_CASE(fd_syscall_errors),
	 KT_CASE(file_read_seek_getdents),
	 KT_CASE(pipe_syscalls),
	 KT_CASE(tty_ioctls_and_input));
