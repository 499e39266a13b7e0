/* set_tid_address and set_robust_list (kernel/tid_address.c). */
#ifndef SPOOR_TID_ADDRESS_H
#define SPOOR_TID_ADDRESS_H

#include <spoor/types.h>

struct task_struct;

long sys_set_tid_address(uint32_t tidptr);
long sys_set_robust_list(uint32_t head, size_t len);
/* exec: the new program has registered nothing yet. */
void tid_address_exec(struct task_struct *t);

#endif
