/*
 * linux_calls: the errors and effects of calls static glibc and
 * BusyBox make (issue 14), where Linux x86-64 and Spoor i386 agree:
 * anonymous mmap, munmap and mprotect; readv and writev on a pipe;
 * lseek on a pipe; readlink, getcwd, chdir and stat on paths both
 * systems have; uname.
 *
 * Left out, because the two differ by design: anonymous MAP_SHARED
 * (Spoor's fork copies every page, so it refuses it: EINVAL) and
 * unknown PROT_ bits to mmap (Linux ignores them, Spoor refuses).
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#include "conf.h"

#define PAGE		4096
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)

/* Run @body in a child; print how the child ended. */
static void in_child(const char *what, void (*body)(char *), char *p)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		body(p);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	say("%s: %s", what, status_str(st));
}

static void touch(char *p)
{
	*(volatile char *)p = 1;
}

static void peek(char *p)
{
	(void)*(volatile char *)p;
}

/* Anonymous private memory: zeroed, writable, gone after munmap. */
static void anonymous_memory(void)
{
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, ANON, -1, 0);
	int zero = 1, i;

	say("mmap 3 pages: %s", yes(p != MAP_FAILED));
	say("page aligned: %s", yes(((unsigned long)p & (PAGE - 1)) == 0));
	for (i = 0; i < 3 * PAGE; i++)
		zero &= p[i] == 0;
	say("zero filled: %s", yes(zero));
	memset(p, 'x', 3 * PAGE);
	say("written and read back: %s", yes(p[3 * PAGE - 1] == 'x'));
	TRY("mprotect page 1 read-only", mprotect(p + PAGE, PAGE, PROT_READ));
	in_child("read the read-only page", peek, p + PAGE);
	in_child("write the read-only page", touch, p + PAGE);
	in_child("write the page after it", touch, p + 2 * PAGE);
	TRY("mprotect page 1 none", mprotect(p + PAGE, PAGE, PROT_NONE));
	in_child("read the PROT_NONE page", peek, p + PAGE);
	TRY("munmap the middle page", munmap(p + PAGE, PAGE));
	in_child("read the unmapped page", peek, p + PAGE);
	in_child("write the first page", touch, p);
	TRY("munmap the rest", munmap(p, 3 * PAGE));
	in_child("read the first page after munmap", peek, p);
	TRY("munmap what is not mapped", munmap(p, PAGE));
}

static void mmap_errors(void)
{
	char *p;

	errno = 0;
	p = mmap(NULL, 0, PROT_READ, ANON, -1, 0);
	say("mmap length 0: %s %s", yes(p == MAP_FAILED), errno_name(errno));
	errno = 0;
	p = mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0);
	say("mmap neither private nor shared: %s %s", yes(p == MAP_FAILED),
	    errno_name(errno));
	errno = 0;
	p = mmap((void *)0x10000001, PAGE, PROT_READ, ANON | MAP_FIXED, -1, 0);
	say("mmap MAP_FIXED unaligned: %s %s", yes(p == MAP_FAILED),
	    errno_name(errno));
	errno = 0;
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0);
	say("mmap a file with fd -1: %s %s", yes(p == MAP_FAILED),
	    errno_name(errno));
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, ANON, -1, 0);
	TRY("munmap unaligned", munmap(p + 1, PAGE));
	TRY("munmap length 0", munmap(p, 0));
	TRY("mprotect unaligned", mprotect(p + 1, PAGE, PROT_READ));
	TRY("mprotect an unknown bit", mprotect(p, PAGE, 0x100));
	TRY("mprotect length 0", mprotect(p, 0, PROT_READ));
	TRY("munmap", munmap(p, PAGE));
}

/* writev gathers, readv scatters, in order; a pipe cannot seek. */
static void pipes(void)
{
	char a[4] = { 0 }, b[8] = { 0 };
	struct iovec out[2] = { { "abc", 3 }, { "defgh", 5 } };
	struct iovec in[2] = { { a, 3 }, { b, 5 } };
	int fds[2];

	pipe(fds);
	TRY("writev 3 + 5 bytes", writev(fds[1], out, 2));
	TRY("readv 3 + 5 bytes", readv(fds[0], in, 2));
	say("got: %s %s", a, b);
	TRY("lseek on a pipe", lseek(fds[0], 0, SEEK_CUR));
	TRY("writev on the read end", writev(fds[0], out, 2));
	close(fds[0]);
	close(fds[1]);
}

static void paths(void)
{
	char buf[64], *p;
	struct stat st;

	TRY("readlink / (not a link)", readlink("/", buf, sizeof(buf)));
	TRY("readlink a missing path",
	    readlink("/no/such/path", buf, sizeof(buf)));
	TRY("stat a missing path", stat("/no/such/path", &st));
	TRY("stat /", stat("/", &st));
	say("/ is a directory: %s", yes(S_ISDIR(st.st_mode)));
	TRY("chdir a missing path", chdir("/no/such/path"));
	TRY("chdir a file", chdir("/etc/motd"));
	TRY("chdir /", chdir("/"));
	say("getcwd: %s", getcwd(buf, sizeof(buf)) ? buf : "(failed)");
	errno = 0;
	p = getcwd(buf, 1);
	say("getcwd into 1 byte: %s %s", yes(p == NULL), errno_name(errno));
}

/* The fields' values differ (Spoor or Linux): only that it works. */
static void names(void)
{
	struct utsname u;

	TRY("uname", uname(&u));
	say("machine and sysname filled: %s",
	    yes(u.sysname[0] != '\0' && u.machine[0] != '\0'));
}

int main(void)
{
	anonymous_memory();
	mmap_errors();
	pipes();
	paths();
	names();
	return 0;
}
