/*
 * A child JVM's memory holder: a process that shares the child's memory (CLONE_VM) and does
 * nothing but wait for the child's end, then ends itself.
 *
 * Why: a process's exit frees its memory before its parent hears of the exit, and for a JVM
 * (some 50 MiB resident) that takes the kernel 3-5 ms, the largest part of a short child's
 * start->join. While another process still uses the memory, the exit frees nothing: the parent
 * hears of it at once, and the holder, woken by the same exit, frees the memory on its own clock.
 * Everything else an exit does (closing fds, robust futexes, the exit status) happens in the
 * child's exit as before.
 *
 * The holder starts freeing a moment after the child's end (FREEING_DELAY_NANOS), and runs at
 * nice 19: the freeing must not delay the parent, which on a small machine shares
 * the CPUs with it, and a thread that wakes takes the CPU from a nice-19 one at once. (Not
 * SCHED_IDLE: on a machine kept busy, that would leave the memory held for as long as it stays
 * busy.)
 *
 * The holder is a child of our parent JVM (CLONE_PARENT), which reaps it: a child of the child
 * would be an orphan, left to whatever reaps orphans there. It runs on shared memory, so it makes
 * raw system calls only (no malloc, no lock, no JNI), with every signal blocked (a JVM handler
 * must never run in it), and it closes its copy of the fd table at once, before the creator goes
 * on: it holds nothing but a pidfd of the child, and the child's peers see its fds close when
 * the child does. (On kernels before 5.9, without close_range, it closes the fds listed just
 * before the clone: one that another thread opened in between stays open in the holder until the
 * child's end. A child starts its holder first thing, before it opens anything of its own.)
 */
#include <linux/futex.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include "common.h"
#include "kernel_features.h"
#include "mp4j.h"

#define HOLDER_STACK_BYTES (64 * 1024)
#define HANDSHAKE_SECONDS 5
/*
 * How long after the child's end the holder starts freeing. What follows a child's end is usually
 * on somebody's clock (a join returning, a pool's other workers ending, the next start), and
 * freeing a JVM's memory keeps a CPU in the kernel for 3-8 ms, with the page allocator's locks
 * taken in turns: at once, on two cores, it made a pool's second worker's exit reach its parent
 * 1.5 ms later (a Pool(2)'s shutdown and join: 5.8 -> 2.9 ms median with 10 ms; 4 ms did as
 * well). Short, as the memory stays charged to its cgroup meanwhile: a tight loop of short children
 * holds a few more JVMs' worth at a time.
 */
#define FREEING_DELAY_NANOS (5 * 1000 * 1000L)

/*
 * At the bottom of the holder's own mapping (its stack grows down from the top), never unmapped:
 * the creator may stop waiting for the holder at any time without pulling anything from under it.
 */
struct holder_start {
    int pidfd;                 /* of the creator: the holder's one fd */
    int use_close_range;
    int open_count;            /* without close_range: the creator's fds at the clone, in open_fds */
    volatile int closed;       /* set by the holder once its fd table is down to the pidfd */
    int open_fds[];
};

static void close_all_but(const struct holder_start *start, int keep) {
    if (start->use_close_range) {
        if (keep > 0) {
            (void) syscall(SYS_close_range, 0U, (unsigned) keep - 1, 0);
        }
        (void) syscall(SYS_close_range, (unsigned) keep + 1, ~0U, 0);
        return;
    }
    for (int i = 0; i < start->open_count; i++) {
        if (start->open_fds[i] != keep) {
            (void) syscall(SYS_close, start->open_fds[i]);
        }
    }
}

static int hold_memory(void *argument) {
    struct holder_start *start = argument;
    (void) syscall(SYS_prctl, PR_SET_NAME, (unsigned long) "mp4j-holder", 0UL, 0UL, 0UL);
    /* Freeing the memory is background work: a thread that wakes takes the CPU from it at once. */
    (void) syscall(SYS_setpriority, PRIO_PROCESS, 0, 19);
    close_all_but(start, start->pidfd);
    start->closed = 1;
    (void) syscall(SYS_futex, &start->closed, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    struct pollfd child = {.fd = start->pidfd, .events = POLLIN};
    while (syscall(SYS_ppoll, &child, 1UL, NULL, NULL, 0UL) <= 0) {
        /* With every signal blocked nothing interrupts the wait; retried all the same. */
    }
    /* Not at once: see FREEING_DELAY_NANOS. */
    struct timespec delay = {0, FREEING_DELAY_NANOS};
    (void) syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &delay, NULL);
    (void) syscall(SYS_exit_group, 0);
    return 0;
}

/* Waits until the holder has closed its fds, at most HANDSHAKE_SECONDS (an overloaded machine). */
static void await_closed(volatile int *closed) {
    struct timespec now, deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += HANDSHAKE_SECONDS;
    while (!*closed) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        struct timespec left = {deadline.tv_sec - now.tv_sec, deadline.tv_nsec - now.tv_nsec};
        if (left.tv_nsec < 0) {
            left.tv_sec -= 1;
            left.tv_nsec += MP4J_NANOS_PER_SECOND;
        }
        if (left.tv_sec < 0) {
            return;
        }
        (void) syscall(SYS_futex, closed, FUTEX_WAIT_PRIVATE, 0, &left, NULL, 0);
    }
}

/*
 * Starts the holder of this process's memory; its pid, or -errno (-ENOSYS without pidfds, Linux
 * before 5.3). Call once, from a thread that lives as long as the process: the holder runs with
 * that thread's TLS (glibc's syscall() keeps errno there, the stack protector its canary).
 */
static jint start_holder(JNIEnv *env, jclass cls) {
    int pidfd = mp4j_pidfd_open(getpid());
    if (pidfd < 0) {
        return -errno;
    }
    int use_close_range = mp4j_kernel_feature(MP4J_FEATURE_CLOSE_RANGE);
    int open_count = 0;
    int *listed = NULL;
    if (!use_close_range) {
        listed = mp4j_list_open_fds(0, &open_count);
        if (listed == NULL) {
            (void) close(pidfd);
            return -ENOMEM;
        }
    }
    size_t header = sizeof(struct holder_start) + sizeof(int) * (size_t) open_count;
    size_t bytes = (header + HOLDER_STACK_BYTES + 4095) & ~(size_t) 4095;
    char *mapping = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        int error = errno;
        free(listed);
        (void) close(pidfd);
        return -error;
    }
    struct holder_start *start = (struct holder_start *) mapping;
    start->pidfd = pidfd;
    start->use_close_range = use_close_range;
    start->open_count = open_count;
    start->closed = 0;
    for (int i = 0; i < open_count; i++) {
        start->open_fds[i] = listed[i];
    }
    free(listed);

    sigset_t all, previous;
    sigfillset(&all);
    (void) syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &previous, (size_t) (_NSIG / 8));
    int pid = clone(hold_memory, mapping + bytes, CLONE_VM | CLONE_PARENT, start);
    int error = errno;
    (void) syscall(SYS_rt_sigprocmask, SIG_SETMASK, &previous, NULL, (size_t) (_NSIG / 8));
    if (pid < 0) {
        (void) munmap(mapping, bytes);
        (void) close(pidfd);
        return -error;
    }
    await_closed(&start->closed);
    (void) close(pidfd); /* ours; the holder has its own copy */
    return pid;
}

int mp4j_register_memory_holder(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"start0", "()I", (void *) start_holder},
    };
    return mp4j_register(env, MP4J_PACKAGE "MemoryHolder", methods, MP4J_ARRAY_LENGTH(methods));
}
