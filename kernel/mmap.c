/*
 * mmap2(2), mmap(2), munmap(2) and mprotect(2) on Spoor's eager,
 * private address spaces.  The page tables are the only record of what
 * is mapped: a new mapping goes in the highest hole below the stack's
 * reserved 8 MiB that is big enough, or exactly where MAP_FIXED says.
 * Anonymous private memory and private copies of initramfs files are
 * supported; MAP_SHARED is not (fork copies every page, so nothing
 * could stay shared): EINVAL.
 */
#include <asm/paging.h>
#include <asm/uaccess.h>
#include <spoor/compiler.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/mman_abi.h>
#include <spoor/mmap.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/vm.h>

#define PROT_MASK	(PROT_READ | PROT_WRITE | PROT_EXEC)

/* Mappings live below the stack's whole reach and a guard page. */
#define MMAP_TOP	(USER_STACK_TOP - USER_STACK_MAX - PAGE_SIZE)
#define MMAP_MIN	0x10000u	/* Linux's mmap_min_addr */

/* The PTE bits for @prot; PROT_NONE pages stay present, kernel-only. */
static uint32_t prot_flags(unsigned prot)
{
	if (!prot)
		return 0;
	return PTE_U | ((prot & PROT_WRITE) ? PTE_W : 0);
}

/* Is [@addr, @addr + @len) a range a mapping may use? */
static int range_ok(uintptr_t addr, size_t len)
{
	return addr >= MMAP_MIN && addr < MMAP_TOP && len <= MMAP_TOP - addr;
}

/* The highest free hole of @len bytes below MMAP_TOP, above the heap. */
static uintptr_t find_hole(struct mm_struct *mm, size_t len)
{
	uintptr_t floor = MAX(ALIGN_UP(mm->brk, PAGE_SIZE) + PAGE_SIZE,
			      MMAP_MIN);
	uintptr_t va = MMAP_TOP;
	size_t run = 0;

	while (va - PAGE_SIZE >= floor && va > PAGE_SIZE) {
		va -= PAGE_SIZE;
		if (vm_mapped_pages(mm, va, va + PAGE_SIZE))
			run = 0;
		else if ((run += PAGE_SIZE) == len)
			return va;
	}
	return 0;
}

/* Copy the private contents of initramfs file @f from @off into @addr. */
static int fill_from_file(struct file *f, uintptr_t addr, size_t len,
			  uint32_t off)
{
	size_t n;

	if (f->ops->read != memfile_read)	/* console, pipe, /proc */
		return -ENODEV;
	if (off >= f->size)
		return 0;
	n = MIN(len, f->size - off);
	return copy_to_user((void *)addr, (const char *)f->priv + off, n) ?
	       -EFAULT : 0;
}

/*
 * The common part of mmap and mmap2: @pgoff in pages.  Returns the
 * address or -errno; nothing is left mapped on failure.
 */
static long do_mmap(uintptr_t addr, size_t len, unsigned prot,
		    unsigned flags, int fd, uint32_t pgoff)
{
	struct mm_struct *mm = current->mm;
	struct file *f = NULL;
	long err;

	if (!len)
		return -EINVAL;
	if (prot & ~PROT_MASK)
		return -EINVAL;
	if ((flags & MAP_TYPE) != MAP_PRIVATE)	/* MAP_SHARED: see above */
		return -EINVAL;
	if ((flags & MAP_FIXED) && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) && !(f = fd_get(fd)))
		return -EBADF;
	if (f && (f->flags & O_ACCMODE) == O_WRONLY)
		return -EACCES;
	if (len > MMAP_TOP)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (flags & MAP_FIXED) {
		if (!range_ok(addr, len))
			return -ENOMEM;
		vm_unmap(mm, addr, addr + len);
	} else if (!addr || !range_ok(addr = ALIGN_DOWN(addr, PAGE_SIZE), len) ||
		   vm_mapped_pages(mm, addr, addr + len)) {
		addr = find_hole(mm, len);	/* the hint is only a hint */
		if (!addr)
			return -ENOMEM;
	}
	if (vm_map_zero(mm, addr, addr + len, PTE_W))
		return -ENOMEM;
	err = f ? fill_from_file(f, addr, len, pgoff * PAGE_SIZE) : 0;
	if (!err)
		err = vm_protect(mm, addr, addr + len, prot_flags(prot));
	if (err) {
		vm_unmap(mm, addr, addr + len);
		return err;
	}
	return addr;
}

long sys_mmap2(uintptr_t addr, size_t len, unsigned prot, unsigned flags,
	       int fd, uint32_t pgoff)
{
	return do_mmap(addr, len, prot, flags, fd, pgoff);
}

/* The old mmap(2) at 90: its six arguments in a block, offset in bytes. */
long sys_old_mmap(const uint32_t *uargs)
{
	uint32_t a[6];

	if (copy_from_user(a, uargs, sizeof(a)))
		return -EFAULT;
	if (a[5] & (PAGE_SIZE - 1))
		return -EINVAL;
	return do_mmap(a[0], a[1], a[2], a[3], a[4], a[5] / PAGE_SIZE);
}

long sys_munmap(uintptr_t addr, size_t len)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len || addr >= KERNEL_BASE || len > KERNEL_BASE - addr)
		return -EINVAL;
	vm_unmap(current->mm, addr, addr + ALIGN_UP(len, PAGE_SIZE));
	return 0;
}

long sys_mprotect(uintptr_t addr, size_t len, unsigned prot)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~PROT_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	if (addr >= KERNEL_BASE || len > KERNEL_BASE - addr)
		return -ENOMEM;
	return vm_protect(current->mm, addr, addr + ALIGN_UP(len, PAGE_SIZE),
			  prot_flags(prot));
}
