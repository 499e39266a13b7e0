/* make bench: figures in guest TSC ticks, printed as "bench: NAME N". */
#ifndef SPOOR_BENCH_H
#define SPOOR_BENCH_H

#include <stdint.h>

extern uint64_t boot_tsc_entry, boot_tsc_done;

/* The TSC, or 0 on CPUs without one (486). */
uint64_t read_tsc(void);

/* Run the benchmarks named in @which ("all" or a list); exits QEMU. */
void run_bench(const char *which) __attribute__((noreturn));

#endif
