/* The kernel services the DS driver uses, on the host: see kernel_shim.h. */
#include <stdarg.h>
#include <stdint.h>
#include <asm/apic.h>
#include <asm/emulate.h>
#include <asm/uaccess.h>
#include <spoor/format.h>
#include <spoor/cmdline.h>
#include <spoor/kmalloc.h>
#include <spoor/printk.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/time.h>
#include <spoor/vm.h>
#include "fake_cpu.h"
#include "host_mem.h"
#include "kernel_shim.h"

struct task_struct *current;
unsigned long shim_total_pages = 32768;	/* 128 MiB, QEMU's default */
volatile uint32_t jiffies;
struct shim_signal shim_last_signal;
int shim_apic_result;

/* -- the heap: one low mapping per object, a header in front -- */

#define HDR		16	/* keeps kmalloc's 8-byte alignment */
#define HEAP_MAGIC	0x6b6d616c6c6f6321ull

struct hdr {
	uint64_t magic;
	uint64_t size;
};

static unsigned long bytes_in_use, objects, bad_frees;
static unsigned fail_next;

void shim_kmalloc_fail(unsigned n)
{
	fail_next = n;
}

unsigned long shim_kmalloc_objects(void)
{
	return objects;
}

unsigned long shim_bad_frees(void)
{
	return bad_frees;
}

void *kmalloc(size_t size)
{
	struct hdr *h;

	if (fail_next) {
		fail_next--;
		return NULL;
	}
	h = host_alloc_low(size + HDR);
	if (!h)
		return NULL;
	h->magic = HEAP_MAGIC;
	h->size = size;
	/* Not zeroed on the kernel either: make reliance on it show. */
	memset((char *)h + HDR, 0xa5, size);
	bytes_in_use += size;
	objects++;
	return (char *)h + HDR;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct hdr *h;

	if (!p)
		return;
	h = (struct hdr *)((char *)p - HDR);
	if (!host_mapped(h, HDR) || h->magic != HEAP_MAGIC) {
		bad_frees++;	/* double free or not ours */
		return;
	}
	fake_cpu_log_free(p);
	bytes_in_use -= h->size;
	objects--;
	h->magic = 0;
	host_free_low(h, h->size + HDR);	/* later use faults */
}

unsigned long kmalloc_bytes_in_use(void)
{
	return bytes_in_use;
}

/* -- printk -- */

static char printk_buf[8192];
static size_t printk_len;

const char *shim_printk_text(void)
{
	return printk_buf;
}

void shim_printk_clear(void)
{
	printk_len = 0;
	printk_buf[0] = '\0';
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(printk_buf + printk_len, sizeof(printk_buf) - printk_len,
		      fmt, ap);
	va_end(ap);
	printk_len = strlen(printk_buf);
	return n;
}

/* -- user memory: the same address space, checked like the kernel -- */

/* No faults on the host: everything is copied. */
size_t copy_safe(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	return 0;
}

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!user_range_ok((uintptr_t)usrc, n))
		return -EFAULT;
	memcpy(dst, usrc, n);
	return 0;
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!user_range_ok((uintptr_t)udst, n))
		return -EFAULT;
	memcpy(udst, src, n);
	return 0;
}

int send_sig(int sig, struct task_struct *t)
{
	shim_last_signal.count++;
	shim_last_signal.sig = sig;
	shim_last_signal.task = t;
	return 0;
}

int apic_init(void)
{
	return shim_apic_result;
}

/*
 * -- what the software BTS unit reaches for (kernel/ds/bts_soft.c and
 * soft_text.c are linked in, but the host tests drive only its probe) --
 */
const char *cmdline_get(const char *key)
{
	(void)key;
	return NULL;		/* bts_soft= not given: fast mode */
}

void force_sig_fault(int sig, int code, uintptr_t addr)
{
	(void)code;
	(void)addr;
	shim_last_signal.count++;
	shim_last_signal.sig = sig;
}

void *vm_kaddr(const struct mm_struct *mm, uintptr_t va, int write)
{
	(void)mm;
	(void)va;
	(void)write;
	return NULL;		/* no user text on the host */
}

int emulate_branch(struct trap_frame *tf, const struct insn *in, int *taken)
{
	(void)tf;
	(void)in;
	(void)taken;
	return -EINVAL;
}

int branch_taken_after(const struct insn *in, const struct trap_frame *after)
{
	(void)in;
	(void)after;
	return 1;
}

unsigned long nr_total_pages(void)
{
	return shim_total_pages;
}
