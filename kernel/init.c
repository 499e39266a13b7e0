/*
 * Starting the first process.  Pid 1 begins as a kernel-made task whose
 * first code runs init_exec() in its own address space: it stages the
 * path, argv and envp in a page of that address space, as a user
 * program would hold them, and calls the ordinary execve.  Kernel
 * command-line words of the form name=value that the kernel does not
 * use itself go to init as environment variables, as on Linux.
 */
#include <asm/paging.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <spoor/cmdline.h>
#include <spoor/errno.h>
#include <spoor/file.h>
#include <spoor/panic.h>
#include <spoor/printk.h>
#include <spoor/sched.h>
#include <spoor/string.h>
#include <spoor/syscalls.h>
#include <spoor/vm.h>
#include <spoor/wait.h>

#define INIT_PATH	"/bin/init"
#define STAGE_VA	0x00400000u	/* gone once execve replaces the image */
#define MAX_ENV		16

/* Command-line keys the kernel consumes: not passed to init. */
static const char *const kernel_keys[] = { "ktest", "bench", "bts" };

static int is_kernel_key(const char *word, size_t len)
{
	unsigned i;

	for (i = 0; i < sizeof(kernel_keys) / sizeof(kernel_keys[0]); i++)
		if (strlen(kernel_keys[i]) == len &&
		    !strncmp(word, kernel_keys[i], len))
			return 1;
	return 0;
}

/*
 * Lay out, at user address STAGE_VA: argv[] and envp[] vectors, then
 * their strings.  Returns pointers (user addresses) to both vectors.
 */
static void stage_args(char *page, uint32_t *argv_va, uint32_t *envp_va)
{
	uint32_t *vec = (uint32_t *)page;
	char *str = page + 64 * sizeof(uint32_t);
	const char *p = cmdline_all();
	int n = 0;

#define PUT_STRING(s, len)						\
	do {								\
		vec[n++] = STAGE_VA + (str - page);			\
		memcpy(str, s, len);					\
		str[len] = '\0';					\
		str += len + 1;						\
	} while (0)

	PUT_STRING(INIT_PATH, strlen(INIT_PATH));
	vec[n++] = 0;
	*argv_va = STAGE_VA;
	*envp_va = STAGE_VA + n * sizeof(uint32_t);
	PUT_STRING("HOME=/", 6);
	PUT_STRING("PATH=/bin:/usr/bin", 18);	/* /usr/bin: BusyBox */
	while (*p && n < 2 + MAX_ENV) {
		const char *end = strchr(p, ' '), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);

		eq = memchr(p, '=', len);
		if (eq && !is_kernel_key(p, eq - p) &&
		    str + len + 1 < page + PAGE_SIZE)
			PUT_STRING(p, len);
		p += len;
		while (*p == ' ')
			p++;
	}
	vec[n] = 0;
#undef PUT_STRING
}

/* First code of pid 1, in process context with its own address space. */
static void init_exec(void)
{
	uint32_t argv_va, envp_va, *page;
	long err;

	if (vm_map_zero(current->mm, STAGE_VA, STAGE_VA + PAGE_SIZE, PTE_W))
		panic("init: no memory");
	page = vm_kaddr(current->mm, STAGE_VA, 1);
	stage_args((char *)page, &argv_va, &envp_va);
	/* argv[0] is the path itself. */
	err = sys_execve((const char *)page[0], (char *const *)argv_va,
			 (char *const *)envp_va);
	if (err)
		panic("init: cannot exec %s (error %ld)", INIT_PATH, -err);
}

void start_init(void)
{
	int err;
	struct task_struct *t = task_alloc(&err);

	if (!t || t->pid != 1 || !(t->mm = mm_create()) ||
	    !(t->files = files_alloc()) || files_open_console(t->files))
		panic("init: cannot create pid 1");
	set_task_comm(t, "init");
	strcpy(t->cwd, "/");
	rlimit_init(t);
	init_task = t;
	t->real_parent = t->parent = NULL;	/* getppid() is 0 */
	t->pgid = t->sid = t->pid;	/* leads the first group and session */
	kernel_thread_frame(t, init_exec);
	t->state = TASK_RUNNING;
	wake_up_task(t);
	/* The boot thread is now the idle task: run others, else halt. */
	for (;;) {
		schedule();
		sti_hlt();
	}
}
