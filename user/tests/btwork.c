/*
 * btwork - every workload of bts_classes.h once, untraced: the program
 * the oracle layer (tests/harness/oracle.py) runs both under btrace -r
 * in Spoor and under QEMU's user-mode emulator, comparing records.
 * Prints each workload's result; exits 0 if all computed what they do
 * untraced.
 */
#include <stdio.h>
#include "bts_classes.h"

int main(void)
{
	size_t c;
	int bad = 0;

	for (c = 0; c < NR_BTS_CLASSES; c++) {
		int r = bts_classes[c].run();

		printf("btwork: %s %s\n", bts_classes[c].name,
		       r ? "BAD" : "ok");
		bad |= r;
	}
	return bad;
}
