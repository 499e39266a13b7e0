/* The kernel command line from the boot loader: "ktest=all bts=soft". */
#ifndef SPOOR_CMDLINE_H
#define SPOOR_CMDLINE_H

void cmdline_init(const char *s);
/* Whole command line as given. */
const char *cmdline_all(void);
/* Value of "@key=value", or NULL; a bare "@key" gives "". */
const char *cmdline_get(const char *key);

#endif
