/*
 * Kernel calls newer than the glibc baseline (2.17) are made through syscall(2), never through
 * the libc wrappers that later glibc versions added (pidfd_open: 2.36, close_range: 2.34, ...):
 * a wrapper would tie the library to the glibc it was built on. The numbers come from the kernel
 * headers; since Linux 5.1 new calls have the same number on every architecture, which is what
 * the fallbacks below spell out for headers too old to know them.
 */
#ifndef MP4J_SYSCALLS_H
#define MP4J_SYSCALLS_H

#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424   /* Linux 5.1 */
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434          /* Linux 5.3 */
#endif
#ifndef SYS_close_range
#define SYS_close_range 436         /* Linux 5.9: optional, see spawn.c */
#endif

#endif
