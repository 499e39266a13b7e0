/*
 * execve: replace the calling process's program with an ELF32 file from
 * the initramfs.  Everything that can fail (path, arguments, the ELF
 * headers, memory for the new image) is done before the old address
 * space is touched, so a failed exec returns an error to a process
 * that is still intact.
 */
#include <asm/cpuid.h>
#include <asm/uaccess.h>
#include <spoor/elf.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/kmalloc.h>
#include <spoor/limits.h>
#include <spoor/path.h>
#include <spoor/panic.h>
#include <spoor/ptrace.h>
#include <spoor/random.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/tid_address.h>
#include <spoor/time.h>
#include <spoor/vm.h>

#define AT_RANDOM_BYTES	16
#define PLATFORM	"i686"
#define NR_AUXV		16	/* the pairs setup_stack writes, AT_NULL too */

/* The strings of argv and envp, copied out of the old address space. */
struct exec_args {
	char path[PATH_MAX];
	char *buf;		/* argc strings, then envc strings, NUL each */
	size_t used;		/* bytes of buf */
	size_t room;		/* ARG_MAX less used and 4 bytes per string;
				 * the new stack is mapped to hold it all */
	int argc, envc;
};

/* Append the user string vector @uvec to @a; returns the count or -errno. */
static int copy_strings(struct exec_args *a, char *const *uvec)
{
	int n;

	if (!uvec)			/* Linux accepts NULL as empty */
		return 0;
	for (n = 0;; n++) {
		char *ustr;
		long len;

		if (copy_from_user(&ustr, uvec + n, sizeof(ustr)))
			return -EFAULT;
		if (!ustr)
			return n;
		if (a->room < sizeof(ustr) + 1)	/* its pointer and a NUL */
			return -E2BIG;
		a->room -= sizeof(ustr);
		len = strncpy_from_user(a->buf + a->used, ustr, a->room);
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return len;
		a->used += len + 1;
		a->room -= len + 1;
	}
}

/* Check the ELF header and program headers of @img; 0 or -ENOEXEC. */
static int elf_check(const uint8_t *img, size_t size)
{
	const struct elf32_ehdr *eh = (const void *)img;
	const struct elf32_phdr *ph;
	int i;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, 4) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_type != ET_EXEC ||
	    eh->e_machine != EM_386 || eh->e_phentsize != sizeof(*ph) ||
	    eh->e_phnum == 0 || eh->e_phnum > 16 || eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(*ph) < eh->e_phnum)
		return -ENOEXEC;
	ph = (const void *)(img + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++, ph++) {
		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
		    ph->p_filesz > size - ph->p_offset ||
		    ph->p_vaddr >= USER_STACK_TOP - USER_STACK_MAX ||
		    ph->p_memsz > USER_STACK_TOP - USER_STACK_MAX - ph->p_vaddr)
			return -ENOEXEC;
	}
	return 0;
}

/* Copy @n bytes from kernel @src to user @va of the (inactive) @mm. */
static void copy_to_mm(struct mm_struct *mm, uintptr_t va, const void *src,
		       size_t n)
{
	while (n) {
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		char *dst = vm_kaddr(mm, va, 0);

		BUG_ON(!dst);		/* callers map the range first */
		if (chunk > n)
			chunk = n;
		memcpy(dst, src, chunk);
		va += chunk;
		src = (const char *)src + chunk;
		n -= chunk;
	}
}

/* Map and fill every PT_LOAD segment; set the break past the last one. */
static int load_segments(struct mm_struct *mm, const uint8_t *img)
{
	const struct elf32_ehdr *eh = (const void *)img;
	const struct elf32_phdr *ph = (const void *)(img + eh->e_phoff);
	int i;

	for (i = 0; i < eh->e_phnum; i++, ph++) {
		uintptr_t end = ph->p_vaddr + ph->p_memsz;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (vm_map_zero(mm, ph->p_vaddr, end,
				(ph->p_flags & PF_W) ? PTE_W : 0))
			return -ENOMEM;
		copy_to_mm(mm, ph->p_vaddr, img + ph->p_offset, ph->p_filesz);
		if (ph->p_flags & PF_X) {
			mm->start_code = ph->p_vaddr;
			mm->end_code = end;
		}
		if (end > mm->brk)
			mm->start_brk = mm->brk = end;
	}
	return 0;
}

/*
 * Store the user addresses of @count consecutive strings, starting at
 * kernel *@s (copied to user @base + offset), then a NULL.
 */
static uint32_t *string_vector(uint32_t *v, const char **s, int count,
			       const char *buf, uintptr_t base)
{
	while (count--) {
		*v++ = base + (*s - buf);
		*s += strlen(*s) + 1;
	}
	*v++ = 0;
	return v;
}

/*
 * The user address of the program headers: inside the PT_LOAD segment
 * that maps file offset e_phoff (glibc finds PT_TLS through AT_PHDR).
 * 0 if no segment maps them.
 */
static uintptr_t phdr_address(const uint8_t *img)
{
	const struct elf32_ehdr *eh = (const void *)img;
	const struct elf32_phdr *ph = (const void *)(img + eh->e_phoff);
	int i;

	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			return ph[i].p_vaddr;
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && eh->e_phoff >= ph[i].p_offset &&
		    eh->e_phoff - ph[i].p_offset < ph[i].p_filesz)
			return ph[i].p_vaddr + eh->e_phoff - ph[i].p_offset;
	return 0;
}

/* Append the pair (@key, @val) at @v; returns the slot after it. */
static uint32_t *aux(uint32_t *v, uint32_t key, uint32_t val)
{
	*v++ = key;
	*v++ = val;
	return v;
}

/*
 * The auxiliary vector Linux gives a static i386 program: where its
 * program headers are, the page size, its entry, the (root) ids, the
 * CPU's feature bits, AT_RANDOM's 16 bytes at @random and AT_PLATFORM's
 * string at @platform.
 */
static uint32_t *auxv(uint32_t *v, const uint8_t *img, uintptr_t random,
		      uintptr_t platform)
{
	const struct elf32_ehdr *eh = (const void *)img;

	v = aux(v, AT_HWCAP, boot_cpu.feat_edx);
	v = aux(v, AT_PAGESZ, PAGE_SIZE);
	v = aux(v, AT_CLKTCK, HZ);
	v = aux(v, AT_PHDR, phdr_address(img));
	v = aux(v, AT_PHENT, sizeof(struct elf32_phdr));
	v = aux(v, AT_PHNUM, eh->e_phnum);
	v = aux(v, AT_FLAGS, 0);
	v = aux(v, AT_ENTRY, eh->e_entry);
	v = aux(v, AT_UID, 0);
	v = aux(v, AT_EUID, 0);
	v = aux(v, AT_GID, 0);
	v = aux(v, AT_EGID, 0);
	v = aux(v, AT_SECURE, 0);
	v = aux(v, AT_RANDOM, random);
	v = aux(v, AT_PLATFORM, platform);
	return aux(v, AT_NULL, 0);
}

/*
 * Map the stack and build the initial frame: the strings at the top,
 * AT_RANDOM's bytes and the platform name below them, then (growing
 * down) auxv, envp, argv and argc, as the Linux i386 ABI lays them
 * out.  At least USER_STACK_INITIAL is mapped, more when the
 * arguments need it.  Returns the new esp, or 0 when out of memory.
 */
static uintptr_t setup_stack(struct mm_struct *mm, struct exec_args *a,
			     const uint8_t *img)
{
	uintptr_t strings = ALIGN_DOWN(USER_STACK_TOP - a->used, 16);
	uintptr_t platform = strings - 16;	/* "i686", padded */
	uintptr_t random = platform - AT_RANDOM_BYTES;
	int nptr = 1 + a->argc + 1 + a->envc + 1 + 2 * NR_AUXV;
	uintptr_t sp = ALIGN_DOWN(random - nptr * 4, 16);
	uintptr_t low = ALIGN_DOWN(sp, PAGE_SIZE);
	uint8_t rnd[AT_RANDOM_BYTES];
	uint32_t *vec, *v;
	const char *s = a->buf;

	if (low > USER_STACK_TOP - USER_STACK_INITIAL)
		low = USER_STACK_TOP - USER_STACK_INITIAL;
	if (vm_map_zero(mm, low, USER_STACK_TOP, PTE_W))
		return 0;
	mm->stack_low = low;
	v = vec = kmalloc(nptr * 4);
	if (!vec)
		return 0;
	copy_to_mm(mm, strings, a->buf, a->used);
	copy_to_mm(mm, platform, PLATFORM, sizeof(PLATFORM));
	get_random_bytes(rnd, sizeof(rnd));
	copy_to_mm(mm, random, rnd, sizeof(rnd));
	*v++ = a->argc;
	v = string_vector(v, &s, a->argc, a->buf, strings);
	mm->arg_start = strings;		/* argv's strings come first */
	mm->arg_end = strings + (s - a->buf);
	v = string_vector(v, &s, a->envc, a->buf, strings);
	v = auxv(v, img, random, platform);
	BUG_ON(v - vec != nptr);
	copy_to_mm(mm, sp, vec, (v - vec) * 4);
	kfree(vec);
	return sp;
}

long sys_execve(const char *upath, char *const *uargv, char *const *uenvp)
{
	struct exec_args *a = kzalloc(sizeof(*a));
	const struct elf32_ehdr *eh;
	struct mm_struct *mm = NULL, *old;
	const void *img;
	size_t size;
	uintptr_t sp;
	long err;

	if (!a || !(a->buf = kmalloc(ARG_MAX))) {
		err = -ENOMEM;
		goto out;
	}
	a->room = ARG_MAX;
	err = user_path_at(AT_FDCWD, upath, a->path);
	if (err < 0)
		goto out;
	err = initramfs_lookup(a->path, &img, &size);
	if (err)
		goto out;
	err = elf_check(img, size);
	if (err)
		goto out;
	err = a->argc = copy_strings(a, uargv);
	if (err < 0)
		goto out;
	err = a->envc = copy_strings(a, uenvp);
	if (err < 0)
		goto out;
	err = -ENOMEM;
	eh = img;
	mm = mm_create();
	if (!mm || load_segments(mm, img))
		goto out;
	sp = setup_stack(mm, a, img);
	if (!sp)
		goto out;

	/* The point of no return: the old program is gone from here on. */
	old = current->mm;
	current->mm = mm;
	mm_activate(mm);
	mm_destroy(old);
	mm = NULL;
	set_task_comm(current, a->path);
	current->did_exec = 1;		/* its parent's setpgid: EACCES */
	strcpy(current->exe, a->path);
	tid_address_exec(current);
	vfork_release(current);
	files_close_on_exec(current->files);
	flush_signal_handlers(current);
	start_thread(task_pt_regs(current), eh->e_entry, sp);
	/* A traced exec stops: as an event, or the classic SIGTRAP. */
	if (current->ptrace & PT_OPT(PTRACE_O_TRACEEXEC)) {
		ptrace_event(PTRACE_EVENT_EXEC, current->pid);
	} else if (current->ptrace) {
		struct k_siginfo info = { .si_signo = SIGTRAP,
					  .si_code = SI_USER };

		send_signal(current, SIGTRAP, &info);
	}
	err = 0;
out:
	mm_destroy(mm);
	if (a)
		kfree(a->buf);
	kfree(a);
	return err;
}
