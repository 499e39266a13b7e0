/* Exit, wait and the parent's notification. */
#ifndef SPOOR_WAIT_H
#define SPOOR_WAIT_H

#include <spoor/wait_abi.h>	/* W* options and status macros */

struct task_struct;

extern struct task_struct *init_task;

/* End current with wait status @status (code << 8, or a signal). */
void do_exit(int status) __attribute__((noreturn));
/* Tell @t's parent: SIGCHLD with @code and @status, and a wakeup. */
void notify_parent(struct task_struct *t, int code, int status);
/* Tracing of zombie @c ended: back to its real parent, told, or freed. */
void zombie_untraced(struct task_struct *c);

#endif
