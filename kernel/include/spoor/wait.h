/* Wait status encoding and wait4 options, as Linux defines them. */
#ifndef SPOOR_WAIT_H
#define SPOOR_WAIT_H

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WCONTINUED	0x00000008
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WTERMSIG(s)	((s) & 0x7f)
#define WIFSIGNALED(s)	(((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)

struct task_struct;

extern struct task_struct *init_task;

/* End current with wait status @status (code << 8, or a signal). */
void do_exit(int status) __attribute__((noreturn));
/* Tell @t's parent: SIGCHLD with @code and @status, and a wakeup. */
void notify_parent(struct task_struct *t, int code, int status);
/* Tracing of zombie @c ended: back to its real parent, told, or freed. */
void zombie_untraced(struct task_struct *c);

#endif
