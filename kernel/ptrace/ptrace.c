/*
 * sys_ptrace: the generic requests (attach, detach, resume, memory,
 * options, event messages, siginfo) and the one check every request
 * on an attached task goes through.  Register and BTS requests go to
 * the architecture (arch_ptrace).
 */
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <spoor/errno.h>
#include <spoor/panic.h>
#include <spoor/ptrace.h>
#include <spoor/sched.h>
#include <spoor/signal.h>
#include <spoor/string.h>
#include <spoor/vm.h>
#include <spoor/wait.h>

/* Start tracing @child from @tracer.  Caller has interrupts off. */
static void ptrace_link(struct task_struct *child, struct task_struct *tracer)
{
	child->ptrace = PT_PTRACED;
	child->parent = tracer;
	list_add_tail(&child->ptrace_entry, &tracer->ptraced);
}

static long ptrace_traceme(void)
{
	uint32_t flags;

	if (current->ptrace)			/* already traced */
		return -EPERM;
	if (!current->real_parent)		/* init has no one to trace it */
		return -EPERM;
	flags = irq_save();
	ptrace_link(current, current->real_parent);
	irq_restore(flags);
	return 0;
}

static long ptrace_attach(struct task_struct *child)
{
	uint32_t flags;

	if (child == current)			/* no self-attach */
		return -EPERM;
	if (child == init_task)			/* init is not traceable */
		return -EPERM;
	if (child->ptrace)			/* already traced */
		return -EPERM;
	if (child->state == TASK_ZOMBIE)	/* exiting */
		return -EPERM;
	flags = irq_save();
	ptrace_link(child, current);
	/* The tracee reports the SIGSTOP as its first stop. */
	send_sig(SIGSTOP, child);
	irq_restore(flags);
	return 0;
}

/*
 * The choke point of every request on an attached task: it must be
 * traced by the caller and stopped for it.
 */
static int ptrace_check_attach(struct task_struct *child, int need_stopped)
{
	if (!child->ptrace || child->parent != current)
		return -ESRCH;
	if (need_stopped && child->state != TASK_TRACED)
		return -ESRCH;
	BUG_ON(need_stopped && child == current);
	return 0;
}

/* Resume a stopped tracee with signal @data (0: none). */
static long ptrace_resume(struct task_struct *child, long request,
			  uintptr_t data)
{
	if (data > _NSIG)
		return -EIO;
	if (request == PTRACE_SYSCALL)
		child->ptrace |= PT_SYSCALL;
	else
		child->ptrace &= ~PT_SYSCALL;
	if (request == PTRACE_SINGLESTEP)
		user_enable_single_step(child);
	else
		user_disable_single_step(child);
	child->ptrace_resume = data;
	child->ptrace_report = 0;
	child->state = TASK_RUNNING;
	wake_up_task(child);
	return 0;
}

/*
 * PTRACE_DETACH: ptrace_disable undoes what only a live tracer needs
 * (single step, syscall stops); __ptrace_unlink then ends tracing,
 * exactly as every other end of tracing does.
 */
static long ptrace_detach(struct task_struct *child, uintptr_t data)
{
	uint32_t flags;

	if (data > _NSIG)
		return -EIO;
	ptrace_disable(child);
	flags = irq_save();
	__ptrace_unlink(child);
	child->ptrace_resume = data;
	child->state = TASK_RUNNING;
	wake_up_task(child);
	irq_restore(flags);
	return 0;
}

/*
 * Copy between @t's memory and @buf, page by page through the kernel's
 * view of @t's pages: read-only text can be written this way (a
 * debugger's breakpoint), and since no page is shared, only @t sees it.
 */
size_t access_process_vm(struct task_struct *t, uintptr_t addr, void *buf,
			 size_t len, int write)
{
	size_t done = 0;

	while (done < len) {
		uintptr_t va = addr + done;
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		char *k = t->mm ? vm_kaddr(t->mm, va, 0) : NULL;

		if (!k || va < addr)		/* unmapped, or wrapped */
			break;
		if (chunk > len - done)
			chunk = len - done;
		if (write) {
			arch_ptrace_vm_write(t, va, chunk);
			memcpy(k, (char *)buf + done, chunk);
		} else {
			memcpy((char *)buf + done, k, chunk);
			arch_ptrace_vm_read(t, va, (char *)buf + done, chunk);
		}
		done += chunk;
	}
	return done;
}

static long ptrace_peek(struct task_struct *child, uintptr_t addr,
			uintptr_t data)
{
	uint32_t word;

	if (access_process_vm(child, addr, &word, 4, 0) != 4)
		return -EIO;
	return copy_to_user((void *)data, &word, 4) ? -EFAULT : 0;
}

static long ptrace_poke(struct task_struct *child, uintptr_t addr,
			uintptr_t data)
{
	uint32_t word;

	/* Check the whole word is there before writing any of it. */
	if (access_process_vm(child, addr, &word, 4, 0) != 4)
		return -EIO;
	word = data;
	return access_process_vm(child, addr, &word, 4, 1) == 4 ? 0 : -EIO;
}

static long ptrace_getsiginfo(struct task_struct *child, uintptr_t data)
{
	if (!child->last_siginfo)
		return -EINVAL;
	/* clang-format off */
	return copy_to_user((void *)data, child->last_siginfo,
			    sizeof(struct k_siginfo)) ? -EFAULT : 0;
	/* clang-format on */
}

/* The requests on an attached, stopped tracee. */
static long ptrace_request(struct task_struct *child, long request,
			   uintptr_t addr, uintptr_t data)
{
	switch (request) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
		return ptrace_peek(child, addr, data);
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		return ptrace_poke(child, addr, data);
	case PTRACE_CONT:
	case PTRACE_SYSCALL:
	case PTRACE_SINGLESTEP:
		return ptrace_resume(child, request, data);
	case PTRACE_DETACH:
		return ptrace_detach(child, data);
	case PTRACE_SETOPTIONS:
		if (data & ~PTRACE_O_SUPPORTED)
			return -EINVAL;
		child->ptrace = (child->ptrace & (PT_OPT(1) - 1)) |
				PT_OPT(data);
		return 0;
	/* clang-format off */
	case PTRACE_GETEVENTMSG:
		return copy_to_user((void *)data, &child->ptrace_message,
				    sizeof(unsigned long)) ? -EFAULT : 0;
	/* clang-format on */
	case PTRACE_GETSIGINFO:
		return ptrace_getsiginfo(child, data);
	default:
		return arch_ptrace(child, request, addr, data);
	}
}

long sys_ptrace(long request, pid_t pid, uintptr_t addr, uintptr_t data)
{
	struct task_struct *child;
	long err;

	if (request == PTRACE_TRACEME)
		return ptrace_traceme();
	child = find_task(pid);
	if (!child)
		return -ESRCH;
	if (request == PTRACE_ATTACH)
		return ptrace_attach(child);
	err = ptrace_check_attach(child, request != PTRACE_KILL);
	if (err)
		return err;
	if (request == PTRACE_KILL) {
		send_sig(SIGKILL, child);
		return 0;
	}
	return ptrace_request(child, request, addr, data);
}
