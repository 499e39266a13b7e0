/* Leaving the machine: QEMU's isa-debug-exit device, then halt. */
#ifndef SPOOR_POWER_H
#define SPOOR_POWER_H

#include <spoor/compiler.h>

/* Values written to the exit port; QEMU exits with (v << 1) | 1. */
#define EXIT_PASS	0
#define EXIT_FAIL	1
#define EXIT_PANIC	3

void machine_exit(int value) __noreturn;

#endif
