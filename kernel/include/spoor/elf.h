/*
 * ELF32 structures and constants: the program loader reads the program
 * headers, btrace the section headers and the symbol table.
 */
#ifndef SPOOR_ELF_H
#define SPOOR_ELF_H

#include <stdint.h>

#define ELFMAG		"\177ELF"
#define EI_CLASS	4
#define EI_DATA		5
#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define EM_386		3
#define PT_LOAD		1
#define PT_PHDR		6
#define SHT_SYMTAB	2
#define STT_FUNC	2	/* the low four bits of st_info */
#define PF_X		1
#define PF_W		2
#define PF_R		4
/* Auxiliary vector keys (Linux's elf.h / auxvec.h). */
#define AT_NULL		0
#define AT_PHDR		3	/* the program headers, in memory */
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25	/* 16 random bytes: glibc's stack guard */

struct elf32_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum;
	uint16_t e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz;
	uint32_t p_flags, p_align;
};

struct elf32_shdr {
	uint32_t sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info, sh_addralign, sh_entsize;
};

struct elf32_sym {
	uint32_t st_name, st_value, st_size;
	uint8_t st_info, st_other;
	uint16_t st_shndx;
};

#endif
