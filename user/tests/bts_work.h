/*
 * bts_work.h - shared by the branch-trace test programs: an assembly
 * workload whose every branch sits at an exported label (a loop, a call
 * chain, a recursion), and the tracer's side: a traced child that stops
 * before and after its work, and PTRACE_BTS_* helpers.
 */
#ifndef USER_TESTS_BTS_WORK_H
#define USER_TESTS_BTS_WORK_H
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spoor/ktest.h>
#include "utest.h"

#define EFLAGS_TF 0x100

/* --- the workload: every branch at a label ------------------------------ */

void work(void);
extern char work_begin[], work_end[], w_loop[], w_jnz[], w_call_a[],
	w_ret_a_to[], w_call_rec[], w_rec_to[], chain_a[], a_call_b[],
	a_ret_b_to[], a_ret[], chain_b[], b_call_c[], b_ret_c_to[], b_ret[],
	chain_c[], c_ret[], rec[], rec_jz[], rec_call[], rec_after[], rec_ret[],
	w_ret[];

asm(".text\n"
    ".globl work, work_begin, work_end, w_loop, w_jnz, w_call_a, w_ret_a_to\n"
    ".globl w_call_rec, w_rec_to, w_ret, chain_a, a_call_b, a_ret_b_to, a_ret\n"
    ".globl chain_b, b_call_c, b_ret_c_to, b_ret, chain_c, c_ret\n"
    ".globl rec, rec_jz, rec_call, rec_after, rec_ret\n"
    "work_begin:\n"
    "work:		movl $5, %ecx\n"
    "w_loop:	decl %ecx\n"
    "w_jnz:		jnz w_loop\n"		/* taken 4 times */
    "w_call_a:	call chain_a\n"
    "w_ret_a_to:	pushl $3\n"
    "w_call_rec:	call rec\n"
    "w_rec_to:	addl $4, %esp\n"
    "w_ret:		ret\n"
    "chain_a:	nop\n"
    "a_call_b:	call chain_b\n"
    "a_ret_b_to:	nop\n"
    "a_ret:		ret\n"
    "chain_b:	nop\n"
    "b_call_c:	call chain_c\n"
    "b_ret_c_to:	nop\n"
    "b_ret:		ret\n"
    "chain_c:	nop\n"
    "c_ret:		ret\n"
    "rec:		movl 4(%esp), %eax\n"
    "		testl %eax, %eax\n"
    "rec_jz:	jz rec_ret\n"
    "		decl %eax\n"
    "		pushl %eax\n"
    "rec_call:	call rec\n"
    "rec_after:	addl $4, %esp\n"
    "rec_ret:	ret\n"
    "work_end:\n");

/* --- tracing helpers ---------------------------------------------------- */

static inline long bts_config(pid_t pid, uint32_t size, uint32_t flags,
			      uint32_t sig)
{
	struct ptrace_bts_config cfg = { size, flags | PTRACE_BTS_O_ALLOC, sig,
					 0 };

	return ptrace(PTRACE_BTS_CONFIG, pid, &cfg, (void *)sizeof(cfg));
}

/*
 * A child that stops (TRACEME + SIGSTOP), runs @body, stops again
 * with SIGSTOP, and exits with what @body returned.  Returns its pid
 * at the first stop.
 */
static inline pid_t traced_child(int (*body)(void))
{
	int status, ret;
	pid_t pid = fork();

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		ret = body();
		raise(SIGSTOP);
		_exit(ret);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return -1;
	return pid;
}

/* Continue @pid to its next stop; the wait status. */
static inline int cont(pid_t pid, int sig)
{
	int status;

	ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
	waitpid(pid, &status, 0);
	return status;
}

/* All records, oldest first, into @out (at most @max); the count. */
static inline long drain(pid_t pid, struct bts_struct *out, long max)
{
	return ptrace(PTRACE_BTS_DRAIN, pid, out, (void *)(max * sizeof(*out)));
}

static inline void finish(pid_t pid)
{
	int status;

	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &status, 0);
}

static struct bts_struct recs[8192];

/* A traced child's body: the workload once. */
static inline int run_work(void)
{
	work();
	return 0;
}

#endif
