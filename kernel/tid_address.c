/*
 * The addresses a thread library registers with the kernel:
 * set_tid_address(2)'s clear_child_tid and set_robust_list(2)'s list
 * head.  Linux writes 0 at clear_child_tid (and wakes a futex there)
 * only when the exiting task shares its address space; Spoor never
 * shares one, so the address is kept and reported, never written, and
 * the robust list is never walked (no other task can hold its locks).
 * exec forgets both, as Linux does; fork does not inherit them.
 */
#include <spoor/errno.h>
#include <spoor/sched.h>
#include <spoor/tid_address.h>

#define ROBUST_LIST_HEAD_SIZE	12	/* struct robust_list_head, i386 */

long sys_set_tid_address(uint32_t tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;		/* one thread per process: tid == pid */
}

long sys_set_robust_list(uint32_t head, size_t len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	current->robust_list = head;
	return 0;
}

void tid_address_exec(struct task_struct *t)
{
	t->clear_child_tid = 0;
	t->robust_list = 0;
}
