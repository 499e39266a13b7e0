/*
 * Process groups and sessions, the Linux way (kernel/pgrp.c).  Every
 * task carries the id of its process group (pgid) and of its session
 * (sid); fork copies both, init starts as pid 1, pgid 1, sid 1.  A
 * group or session has no object of its own: its members are the tasks
 * (zombies included, until reaped) whose pgid or sid names it, found by
 * a scan of all_tasks.
 */
#ifndef SPOOR_PGRP_H
#define SPOOR_PGRP_H

#include <spoor/types.h>

struct task_struct;

/* Is there a task (a zombie counts) in process group @pgid? */
int pgrp_exists(pid_t pgid);
/* The session of process group @pgid, or 0 if the group is empty. */
pid_t pgrp_session(pid_t pgid);
/*
 * Send @sig to every member of group @pgid through kill_task (its
 * per-task rules, @si_code SI_USER or SI_KERNEL).  0 if at least one
 * send succeeded, else the last error, or -ESRCH for an empty group
 * (Linux's __kill_pgrp_info).
 */
int kill_pgrp(pid_t pgid, int sig, int si_code);
/*
 * The orphaned-process-group rule of POSIX, at exit and reparenting:
 * if @t's group has stopped members and has just lost its last member
 * with a parent in another group of the same session, send every
 * member SIGHUP then SIGCONT.  @parent NULL: @t is exiting and was the
 * link through its own parent; else @t was just reparented away from
 * @parent.  Interrupts off.
 */
void kill_orphaned_pgrp(struct task_struct *t, struct task_struct *parent);

long sys_setpgid(pid_t pid, pid_t pgid);
long sys_getpgid(pid_t pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(pid_t pid);

#endif
