/*
 * sys/types.h - basic system data types, sized as on Linux i386.
 */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef long off_t;
typedef unsigned long ino_t;
typedef unsigned long long dev_t;
typedef unsigned int nlink_t;
typedef long time_t;
typedef long suseconds_t;
typedef long clock_t;

#endif /* _SYS_TYPES_H */
