/*
 * Process groups and sessions: the system calls that make and query
 * them (setpgid, getpgid, getpgrp, setsid, getsid), sending a signal
 * to a whole group, and POSIX's orphaned-process-group rule.  A group
 * or a session is only a number its members share (spoor/pgrp.h); a
 * scan of all_tasks finds them, which is plenty for a teaching kernel.
 */
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/pgrp.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/wait.h>

/* Every task of group @pgid, zombies included (members until reaped). */
/* clang-format off */
#define for_each_pgrp_member(t, pgid)					\
	list_for_each_entry(t, &all_tasks, tasks)			\
		if ((t)->pgid != (pgid) || (t)->state == TASK_DEAD)	\
			continue;					\
		else
/* clang-format on */

int pgrp_exists(pid_t pgid)
{
	return pgrp_session(pgid) != 0;
}

pid_t pgrp_session(pid_t pgid)
{
	struct task_struct *t;

	if (pgid <= 0)
		return 0;
	for_each_pgrp_member(t, pgid)
		return t->sid;
	return 0;
}

int kill_pgrp(pid_t pgid, int sig, int si_code)
{
	struct task_struct *t;
	int success = 0, err = -ESRCH;

	if (pgid <= 0)
		return -ESRCH;
	for_each_pgrp_member(t, pgid) {
		err = kill_task(t, sig, si_code);
		success |= !err;
	}
	return success ? 0 : err;
}

/* --- the system calls ---------------------------------------------------- */

/*
 * setpgid(2): move @pid (0: the caller) into group @pgid (0: the group
 * whose id is @pid, made if need be).  Only the caller itself or a
 * child of the caller that has not exec'd yet may be moved, within the
 * caller's session, and never a session leader.  The shell calls it in
 * both parent and child, so the child is in its group whichever runs
 * first.
 */
long sys_setpgid(pid_t pid, pid_t pgid)
{
	struct task_struct *p;

	if (!pid)
		pid = current->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0) /* not a group id */
		return -EINVAL;
	p = find_task(pid);
	if (!p) /* no such process */
		return -ESRCH;
	if (p != current && p->real_parent != current) /* not ours */
		return -ESRCH;
	if (p != current && p->sid != current->sid) /* other session */
		return -EPERM;
	if (p != current && p->did_exec) /* too late: it has exec'd */
		return -EACCES;
	if (p->sid == p->pid) /* a session leader stays */
		return -EPERM;
	if (pgid != pid && pgrp_session(pgid) != current->sid)
		return -EPERM; /* no such group here */
	p->pgid = pgid;
	return 0;
}

/* The task @pid names for getpgid/getsid: 0 is the caller. */
static struct task_struct *pid_or_self(pid_t pid)
{
	return pid ? find_task(pid) : current;
}

long sys_getpgid(pid_t pid)
{
	struct task_struct *p = pid_or_self(pid);

	return p ? p->pgid : -ESRCH;
}

long sys_getpgrp(void)
{
	return current->pgid;
}

long sys_getsid(pid_t pid)
{
	struct task_struct *p = pid_or_self(pid);

	return p ? p->sid : -ESRCH;
}

/*
 * setsid(2): the caller leads a new session and a new group, both
 * named by its pid.  The console stays with init's session (tty.c), so
 * the new session has no controlling terminal.  A session leader
 * always leads its group too, so the one rule covers both of Linux's.
 */
long sys_setsid(void)
{
	if (pgrp_exists(current->pid)) /* a group has our id */
		return -EPERM;
	current->sid = current->pid;
	current->pgid = current->pid;
	return current->sid;
}

/* --- orphaned process groups ------------------------------------------- */

/*
 * Is group @pgid orphaned, not counting @ignored: does no member have a
 * parent in another group of the same session?  Such a parent is what
 * could continue a stopped member; init does not count (it never
 * does job control), nor does a member that has exited.
 */
static int will_become_orphaned_pgrp(pid_t pgid, struct task_struct *ignored)
{
	struct task_struct *t, *parent;

	for_each_pgrp_member(t, pgid) {
		parent = t->real_parent;
		if (t == ignored || t->state == TASK_ZOMBIE || !parent ||
		    parent == init_task)
			continue;
		if (parent->pgid != pgid && parent->sid == t->sid)
			return 0;
	}
	return 1;
}

/* Is a member of @pgid stopped by a job-control signal? */
static int has_stopped_jobs(pid_t pgid)
{
	struct task_struct *t;

	for_each_pgrp_member(t, pgid)
		if (t->state == TASK_STOPPED || t->group_stop)
			return 1;
	return 0;
}

void kill_orphaned_pgrp(struct task_struct *t, struct task_struct *parent)
{
	struct task_struct *ignored = NULL;

	/*
	 * At exit, @t's own parent was the link; on reparenting, @parent
	 * (the exiting one) was, and @t now has a new parent already.
	 */
	if (!parent) {
		parent = t->real_parent;
		ignored = t;
	}
	if (!parent) /* init */
		return;
	if (parent->pgid == t->pgid) /* not a link to outside */
		return;
	if (parent->sid != t->sid) /* nor from another session */
		return;
	if (!will_become_orphaned_pgrp(t->pgid, ignored))
		return;
	if (!has_stopped_jobs(t->pgid))
		return;
	/* Hang up first: SIGCONT must not run a member before it has it. */
	kill_pgrp(t->pgid, SIGHUP, SI_KERNEL);
	kill_pgrp(t->pgid, SIGCONT, SI_KERNEL);
}
