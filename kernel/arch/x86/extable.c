/*
 * Looking up the exception fixup table.  Entries come from every
 * _ASM_EXTABLE() in the kernel, collected by the linker into __ex_table
 * in link order, so the search is linear: the table is small.
 */
#include <asm/extable.h>
#include <asm/trap.h>

extern const struct extable_entry __start___ex_table[];
extern const struct extable_entry __stop___ex_table[];

const struct extable_entry *search_extable(uintptr_t eip)
{
	const struct extable_entry *e;

	/* The linker's bounds of one section: cppcheck cannot know that. */
	// cppcheck-suppress comparePointers
	for (e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == eip)
			return e;
	return 0;
}

int fixup_exception(struct trap_frame *tf)
{
	const struct extable_entry *e = search_extable(tf->eip);

	if (!e)
		return 0;
	tf->eip = e->fixup;
	return 1;
}
