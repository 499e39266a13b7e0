/*
 * test_tls: thread-local storage the Linux i386 way, from a static
 * glibc program (KTAP on stdout).  glibc's start-up puts its thread
 * block behind a GDT TLS entry through set_thread_area; __thread
 * variables live there.  A forked child inherits the descriptor and
 * its own copy of the values; exec gives a fresh one; a tracer reads
 * the descriptor and writes another (PTRACE_GET/SET_THREAD_AREA);
 * set_thread_area refuses what Linux refuses.
 */
#include <asm/ldt.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PTRACE_GET_THREAD_AREA_ 25
#define PTRACE_SET_THREAD_AREA_ 26

static __thread int counter = 41;
static __thread char label[16] = "parent";
static int failed, n;

static void check(int ok, const char *what)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, what);
	failed |= !ok;
}

static unsigned gs(void)
{
	unsigned v;

	asm volatile("mov %%gs, %0" : "=r"(v));
	return v & 0xffff;
}

static void fork_inherits(void)
{
	int st;
	pid_t pid;

	counter++;
	pid = fork();
	if (pid == 0) {
		/* The child sees the parent's values, then changes its own. */
		int ok = counter == 42 && !strcmp(label, "parent");

		counter = 7;
		strcpy(label, "child");
		_exit(ok && counter == 7 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork: child inherits __thread");
	check(counter == 42 && !strcmp(label, "parent"),
	      "fork: parent's __thread values untouched by the child");
}

static void descriptor_checks(void)
{
	struct user_desc d;
	unsigned idx = gs() >> 3;

	memset(&d, 0, sizeof(d));
	d.entry_number = idx;
	check(syscall(SYS_get_thread_area, &d) == 0 && d.seg_32bit &&
	      d.base_addr != 0, "get_thread_area: glibc's entry is 32-bit data");
	check(idx >= 6 && idx <= 8, "glibc's %gs names a TLS entry 6-8");
	d.entry_number = idx;
	d.contents = 2;		/* code */
	check(syscall(SYS_set_thread_area, &d) == -1 && errno == EINVAL,
	      "set_thread_area: a code segment is EINVAL");
	d.contents = 0;
	d.seg_32bit = 0;	/* 16-bit */
	check(syscall(SYS_set_thread_area, &d) == -1 && errno == EINVAL,
	      "set_thread_area: a 16-bit segment is EINVAL");
	memset(&d, 0, sizeof(d));
	d.entry_number = 5;
	d.seg_32bit = 1;
	check(syscall(SYS_set_thread_area, &d) == -1 && errno == EINVAL,
	      "set_thread_area: entry 5 is not a TLS entry");
	memset(&d, 0, sizeof(d));
	d.entry_number = -1;
	d.seg_32bit = 1;
	d.limit = 0xfffff;
	d.limit_in_pages = 1;
	d.useable = 1;
	check(syscall(SYS_set_thread_area, &d) == 0 && d.entry_number >= 6 &&
	      d.entry_number <= 8 && d.entry_number != idx,
	      "set_thread_area: entry -1 picks a free one and says which");
}

static void tracer_reads_and_writes(void)
{
	struct user_desc d, back;
	unsigned idx = gs() >> 3;
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		memset(&d, 0, sizeof(d));
		d.entry_number = 8;
		syscall(SYS_get_thread_area, &d);
		_exit(d.base_addr == 0x1234000 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	memset(&d, 0, sizeof(d));
	check(ptrace(PTRACE_GET_THREAD_AREA_, pid, idx, &d) == 0 &&
	      d.entry_number == idx && d.seg_32bit,
	      "PTRACE_GET_THREAD_AREA reads the tracee's entry");
	memset(&d, 0, sizeof(d));
	d.entry_number = 8;
	d.base_addr = 0x1234000;
	d.limit = 0xff;
	d.seg_32bit = 1;
	check(ptrace(PTRACE_SET_THREAD_AREA_, pid, 8, &d) == 0,
	      "PTRACE_SET_THREAD_AREA writes entry 8");
	memset(&back, 0, sizeof(back));
	check(ptrace(PTRACE_GET_THREAD_AREA_, pid, 8, &back) == 0 &&
	      back.base_addr == 0x1234000 && back.limit == 0xff,
	      "PTRACE_GET_THREAD_AREA reads it back");
	check(ptrace(PTRACE_SET_THREAD_AREA_, pid, -1, &(struct user_desc){
			     .entry_number = -1, .seg_32bit = 1 }) == -1 &&
	      errno == EINVAL, "PTRACE_SET_THREAD_AREA does not allocate");
	check(ptrace(PTRACE_GET_THREAD_AREA_, pid, 12, &d) == -1 &&
	      errno == EINVAL, "PTRACE_GET_THREAD_AREA: entry 12 is EINVAL");
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the tracee sees the descriptor its tracer wrote");
}

int main(void)
{
	printf("KTAP version 1\n1..15\n");
	fflush(stdout);
	check(counter == 41 && !strcmp(label, "parent"),
	      "__thread initial values from PT_TLS");
	fork_inherits();
	fflush(stdout);
	descriptor_checks();
	fflush(stdout);
	tracer_reads_and_writes();
	fflush(stdout);
	return failed;
}
