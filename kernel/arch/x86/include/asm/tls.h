/*
 * Thread-local storage the Linux i386 way: a task owns three GDT
 * descriptors (entries 6-8) and describes them with struct user_desc
 * through set_thread_area(2), get_thread_area(2) and ptrace's
 * PTRACE_{GET,SET}_THREAD_AREA.  glibc puts its thread pointer there
 * and loads the selector into %gs.
 */
#ifndef ASM_TLS_H
#define ASM_TLS_H

#include <stdint.h>

/* Linux's struct user_desc (asm/ldt.h), 16 bytes. */
struct user_desc {
	uint32_t entry_number;
	uint32_t base_addr;
	uint32_t limit;
	uint32_t seg_32bit : 1;
	uint32_t contents : 2;		/* 0 data, 1 expand-down, 2-3 code */
	uint32_t read_exec_only : 1;
	uint32_t limit_in_pages : 1;
	uint32_t seg_not_present : 1;
	uint32_t useable : 1;
};

struct task_struct;

long sys_set_thread_area(struct user_desc *u_info);
long sys_get_thread_area(struct user_desc *u_info);

/*
 * Set TLS entry @idx of @t from the user's *@u_info.  @idx -1 means
 * the entry_number in it; with @can_allocate an entry_number of -1
 * picks a free entry and writes its number back.  0 or -errno.
 */
int do_set_thread_area(struct task_struct *t, int idx, struct user_desc *u_info,
		       int can_allocate);
/* Describe TLS entry @idx of @t in the user's *@u_info.  0 or -errno. */
int do_get_thread_area(struct task_struct *t, int idx,
		       struct user_desc *u_info);
/* exec: the new program starts with every TLS entry empty. */
void tls_flush(struct task_struct *t);
/* Is @sel a selector user mode may hold in %ds..%gs? (Linux's rule) */
int user_segment_selector_ok(uint32_t sel);

#endif
