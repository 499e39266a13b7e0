/*
 * ktest suite "pgrp": the console's foreground process group, which
 * user programs cannot fully test (they cannot type ^C).  The idle task
 * plays a process of init's session; a few tasks from task_alloc, never
 * run, play the groups: they only collect pending signals.
 */
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/ioctl_abi.h>
#include <spoor/ktest.h>
#include <spoor/sched.h>
#include "kt_user.h"

#define CTRL_C 0x03

/* A never-run task in group @pgid (0: its own) of session @sid. */
static struct task_struct *fake_member(pid_t pgid, pid_t sid)
{
	int err;
	struct task_struct *p = task_alloc(&err);

	if (p) {
		p->pgid = pgid ? pgid : p->pid;
		p->sid = sid;
	}
	return p;
}

static int tty_ioctl_int(struct file *tty, unsigned cmd, int *uval, int val)
{
	*uval = val;
	return tty->ops->ioctl(tty, cmd, (uintptr_t)uval);
}

static void tty_foreground_group(struct kt_test *t)
{
	struct task_struct *a, *b, *other;
	pid_t saved_sid = current->sid, old_fg;
	struct file *tty = NULL;
	struct kt_user u;
	int *val;

	if (kt_user_enter(&u, 1))
		KT_SKIP(t, "no memory for a user page");
	val = (int *)u.base;
	a = fake_member(0, 1); /* a and b: one group of session 1 */
	b = a ? fake_member(a->pid, 1) : NULL;
	other = fake_member(0, 0); /* a group of another session */
	tty = tty_open(O_RDWR);
	if (!a || !b || !other || !tty)
		goto out;
	other->sid = other->pid;

	/* Outside the console's session, the console is not our terminal. */
	current->sid = 0;
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCGPGRP, val, 0), -ENOTTY);
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCSPGRP, val, a->pid), -ENOTTY);
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TCGETS, val, 0), 0);

	current->sid = 1;
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCGPGRP, val, 0), 0);
	old_fg = *val;
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCSPGRP, val, -1), -EINVAL);
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCSPGRP, val, PID_MAX + 1),
		     -ESRCH);
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCSPGRP, val, other->pid), -EPERM);
	/* A pid in our session that names no group is no group of ours. */
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCSPGRP, val, b->pid), -EPERM);
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCSPGRP, val, a->pid), 0);
	KT_EXPECT_EQ(t, tty_ioctl_int(tty, TIOCGPGRP, val, 0), 0);
	KT_EXPECT_EQ(t, *val, a->pid);

	/* ^C: SIGINT for every member of the foreground group, no byte. */
	KT_EXPECT_EQ(t, tty_input_special(CTRL_C), 1);
	KT_EXPECT_TRUE(t, a->sig.pending & sigmask(SIGINT));
	KT_EXPECT_TRUE(t, b->sig.pending & sigmask(SIGINT));
	KT_EXPECT_FALSE(t, other->sig.pending & sigmask(SIGINT));
	KT_EXPECT_EQ(t, tty_input_special('c'), 0);

	/* An empty foreground group: ^C stays an ordinary byte. */
	a->pgid = b->pgid = other->pid + 1000;
	KT_EXPECT_EQ(t, tty_input_special(CTRL_C), 0);
	tty_ioctl_int(tty, TIOCSPGRP, val, old_fg); /* may be empty: ESRCH */
out:
	current->sid = saved_sid;
	if (tty)
		file_put(tty);
	if (other)
		task_free(other);
	if (b)
		task_free(b);
	if (a)
		task_free(a);
	kt_user_leave(&u);
	KT_ASSERT_TRUE(t, a && b && other && tty);
}

KT_SUITE(pgrp_suite, "pgrp", KT_CASE(tty_foreground_group));
