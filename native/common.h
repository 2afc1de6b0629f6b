/*
 * The helpers more than one C file needs, each written once, and the numbers of the kernel calls
 * newer than the glibc baseline. Plain C without JNI: spawn_child.c, which runs between clone and
 * execve, uses the async-signal-safe ones (mp4j_set_disposition, mp4j_pidfd_open).
 *
 * Kernel calls newer than glibc 2.17 are made through syscall(2), never through the libc wrappers
 * that later glibc versions added (pidfd_open: 2.36, close_range: 2.34, ...): a wrapper would tie
 * the library to the glibc it was built on. The numbers come from the kernel headers; since Linux
 * 5.1 new calls have the same number on every architecture, which is what the fallbacks below
 * spell out for headers too old to know them.
 */
#ifndef MP4J_COMMON_H
#define MP4J_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424   /* Linux 5.1 */
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434          /* Linux 5.3 */
#endif
#ifndef SYS_memfd_create
#if defined(__x86_64__)
#define SYS_memfd_create 319        /* Linux 3.17 */
#elif defined(__aarch64__)
#define SYS_memfd_create 279
#endif
#endif
#define MP4J_MFD_CLOEXEC 1U         /* MFD_CLOEXEC, which glibc 2.17's headers lack */
#ifndef SYS_close_range
#define SYS_close_range 436         /* Linux 5.9: optional, see kernel_features.c */
#endif

/* preadv2/pwritev2 flag (Linux 4.14; pipes honour it on newer kernels, see kernel_features.c). */
#define MP4J_RWF_NOWAIT 0x00000008

#define MP4J_NANOS_PER_SECOND 1000000000L

/*
 * Sets the disposition of `sig` to `handler` (SIG_DFL, SIG_IGN) with an empty mask and no flags.
 * 0, or -1 with errno set. Async-signal-safe: the fields are set one by one, with no memset.
 */
static inline int mp4j_set_disposition(int sig, void (*handler)(int)) {
    struct sigaction action;
    action.sa_handler = handler;
    action.sa_flags = 0;
    sigemptyset(&action.sa_mask);
    return sigaction(sig, &action, NULL);
}

/* pidfd_open(pid, 0): a close-on-exec pidfd, or -1 with errno set. Async-signal-safe. */
static inline int mp4j_pidfd_open(pid_t pid) {
    return (int) syscall(SYS_pidfd_open, pid, 0);
}

/*
 * The fds of this process at or above `lowest`, read from /proc/self/fd: what a freshly cloned
 * process (spawn.c's children, memory_holder.c's holder) closes one by one where close_range is
 * missing; the caller frees the array. NULL when /proc cannot be read or on OOM. An fd another
 * thread opens after this listing is not on it (a spawned child's execve closes it: every fd of
 * ours and of the JDK is close-on-exec).
 */
static inline int *mp4j_list_open_fds(int lowest, int *count_out) {
    DIR *directory = opendir("/proc/self/fd");
    if (directory == NULL) {
        return NULL;
    }
    int own = dirfd(directory);
    int capacity = 64, count = 0;
    int *fds = malloc(sizeof(int) * (size_t) capacity);
    struct dirent *entry;
    while (fds != NULL && (entry = readdir(directory)) != NULL) {
        char *end;
        long fd = strtol(entry->d_name, &end, 10);
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9' || *end != '\0' || fd < lowest || fd == own) {
            continue;
        }
        if (count == capacity) {
            capacity *= 2;
            int *grown = realloc(fds, sizeof(int) * (size_t) capacity);
            if (grown == NULL) {
                free(fds);
                fds = NULL;
                break;
            }
            fds = grown;
        }
        fds[count++] = (int) fd;
    }
    closedir(directory);
    *count_out = count;
    return fds;
}

/* *time += nanos (nanos >= 0), with tv_nsec kept below one second. */
static inline void mp4j_timespec_add_nanos(struct timespec *time, long long nanos) {
    time->tv_sec += (time_t) (nanos / MP4J_NANOS_PER_SECOND);
    time->tv_nsec += (long) (nanos % MP4J_NANOS_PER_SECOND);
    if (time->tv_nsec >= MP4J_NANOS_PER_SECOND) {
        time->tv_sec += 1;
        time->tv_nsec -= MP4J_NANOS_PER_SECOND;
    }
}

/* Waits in poll(2), with no time limit, until fd is ready for `events`; retries EINTR. 0 or -errno. */
static inline int mp4j_await_ready(int fd, short events) {
    struct pollfd polled = {.fd = fd, .events = events};
    int n;
    do {
        n = poll(&polled, 1, -1);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

/* waitid(2) into a zeroed *info, retrying EINTR; 0 or -errno. info->si_pid is 0 when WNOHANG found
 * nothing. */
static inline int mp4j_waitid(idtype_t type, id_t id, siginfo_t *info, int options) {
    int rc;
    do {
        memset(info, 0, sizeof *info);
        rc = waitid(type, id, info, options);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : 0;
}

#endif
