/*
 * Thread-local storage descriptors (asm/tls.h), as Linux's
 * arch/x86/kernel/tls.c: a task's three GDT TLS entries live in
 * thread.tls_array, are copied into the GDT on every switch to it,
 * are inherited by fork with the rest of thread_struct, and are
 * emptied by exec.
 *
 * Like Linux, the descriptor's base and limit are not checked against
 * the kernel's half: glibc asks for base = its thread block and a
 * 4 GiB limit.  Paging is what keeps user mode out of the kernel (its
 * pages are supervisor-only), whatever segment reaches them.
 */
#include <asm/segment.h>
#include <asm/tls.h>
#include <asm/trap.h>
#include <asm/uaccess.h>
#include <spoor/errno.h>
#include <spoor/sched.h>
#include <spoor/string.h>

#define DESC_TYPE_ACCESSED	0x01
#define DESC_TYPE_WRITABLE	0x02
#define DESC_S			0x10	/* code or data, not system */
#define DESC_DPL3		0x60
#define DESC_P			0x80
#define DESC_FLAG_AVL		0x1
#define DESC_FLAG_D		0x4
#define DESC_FLAG_G		0x8

/* Linux's LDT_empty: the documented way to ask for no segment at all. */
static int desc_info_empty(const struct user_desc *u)
{
	return u->base_addr == 0 && u->limit == 0 && u->contents == 0 &&
	       u->read_exec_only == 1 && u->seg_32bit == 0 &&
	       u->limit_in_pages == 0 && u->seg_not_present == 1 &&
	       u->useable == 0;
}

/* Linux's LDT_zero: all zero but the entry number, meant as empty too. */
static int desc_info_zero(const struct user_desc *u)
{
	return u->base_addr == 0 && u->limit == 0 && u->contents == 0 &&
	       u->read_exec_only == 0 && u->seg_32bit == 0 &&
	       u->limit_in_pages == 0 && u->seg_not_present == 0 &&
	       u->useable == 0;
}

/* Linux's tls_desc_okay: which descriptors a task may put in the GDT. */
static int tls_desc_okay(const struct user_desc *u)
{
	if (desc_info_empty(u) || desc_info_zero(u))
		return 1;
	if (!u->seg_32bit)		/* 16-bit segments need espfix */
		return 0;
	if (u->contents > 1)		/* data segments only, no code */
		return 0;
	if (u->seg_not_present)		/* remove an entry, don't hide it */
		return 0;
	return 1;
}

/* Linux's fill_ldt: the GDT descriptor @u describes, always DPL 3. */
static uint64_t desc_encode(const struct user_desc *u)
{
	uint32_t type = DESC_TYPE_ACCESSED | (u->contents << 2) |
			(u->read_exec_only ? 0 : DESC_TYPE_WRITABLE);
	uint32_t access = type | DESC_S | DESC_DPL3 |
			  (u->seg_not_present ? 0 : DESC_P);
	uint32_t flags = (u->useable ? DESC_FLAG_AVL : 0) |
			 (u->seg_32bit ? DESC_FLAG_D : 0) |
			 (u->limit_in_pages ? DESC_FLAG_G : 0);

	return (u->limit & 0xffffull) | (u->base_addr & 0xffffffull) << 16 |
	       (uint64_t)access << 40 |
	       (uint64_t)((u->limit >> 16) & 0xf) << 48 |
	       (uint64_t)flags << 52 | (uint64_t)(u->base_addr >> 24) << 56;
}

/* Linux's fill_user_desc: the inverse of desc_encode. */
static void desc_decode(uint64_t d, int idx, struct user_desc *u)
{
	uint32_t access = d >> 40 & 0xff, flags = d >> 52 & 0xf;

	memset(u, 0, sizeof(*u));
	u->entry_number = idx;
	u->base_addr = (d >> 16 & 0xffffff) | (uint32_t)(d >> 56) << 24;
	u->limit = (d & 0xffff) | (d >> 48 & 0xf) << 16;
	u->seg_32bit = !!(flags & DESC_FLAG_D);
	u->contents = access >> 2 & 3;
	u->read_exec_only = !(access & DESC_TYPE_WRITABLE);
	u->limit_in_pages = !!(flags & DESC_FLAG_G);
	u->seg_not_present = !(access & DESC_P);
	u->useable = !!(flags & DESC_FLAG_AVL);
}

/* The first empty TLS entry of current, or -ESRCH. */
static int tls_free_idx(void)
{
	int i;

	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		if (!current->thread.tls_array[i])
			return GDT_ENTRY_TLS_MIN + i;
	return -ESRCH;
}

int do_set_thread_area(struct task_struct *t, int idx, struct user_desc *u_info,
		       int can_allocate)
{
	struct user_desc info;
	uint64_t *slot;

	if (copy_from_user(&info, u_info, sizeof(info)))
		return -EFAULT;
	if (!tls_desc_okay(&info))
		return -EINVAL;
	if (idx == -1)
		idx = info.entry_number;
	if (idx == -1 && can_allocate) {
		idx = tls_free_idx();
		if (idx < 0)
			return idx;
		if (copy_to_user(&u_info->entry_number, &idx, sizeof(idx)))
			return -EFAULT;
	}
	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	slot = &t->thread.tls_array[idx - GDT_ENTRY_TLS_MIN];
	if (desc_info_empty(&info) || desc_info_zero(&info))
		*slot = 0;
	else
		*slot = desc_encode(&info);
	/* Our own entries are in the GDT now; %gs reloads on the way out. */
	if (t == current)
		gdt_load_tls(t->thread.tls_array);
	return 0;
}

int do_get_thread_area(struct task_struct *t, int idx, struct user_desc *u_info)
{
	struct user_desc info;

	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	desc_decode(t->thread.tls_array[idx - GDT_ENTRY_TLS_MIN], idx, &info);
	return copy_to_user(u_info, &info, sizeof(info)) ? -EFAULT : 0;
}

/* set_thread_area(2): the entry is u_info->entry_number, -1 for any. */
long sys_set_thread_area(struct user_desc *u_info)
{
	return do_set_thread_area(current, -1, u_info, 1);
}

/* get_thread_area(2): describe entry u_info->entry_number. */
long sys_get_thread_area(struct user_desc *u_info)
{
	int idx;

	if (copy_from_user(&idx, &u_info->entry_number, sizeof(idx)))
		return -EFAULT;
	return do_get_thread_area(current, idx, u_info);
}

void tls_flush(struct task_struct *t)
{
	memset(t->thread.tls_array, 0, sizeof(t->thread.tls_array));
	if (t == current)
		gdt_load_tls(t->thread.tls_array);
}

/*
 * Linux's rule for a selector written by a tracer or a signal frame:
 * null, or RPL 3.  One that names no usable segment cannot hurt the
 * kernel: the return to user mode loads a null selector instead
 * (entry.S), as Linux's exit path does.
 */
int user_segment_selector_ok(uint32_t sel)
{
	return sel == 0 ||
	       (sel <= 0xffff && (sel & SEGMENT_RPL_MASK) == USER_RPL);
}
