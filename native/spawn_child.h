/*
 * The plan a freshly cloned child follows until execve. Everything in it is prepared by the parent
 * before the clone, because the child shares the parent's memory and may only make
 * async-signal-safe calls: no malloc, no locks, no JNI.
 */
#ifndef MP4J_SPAWN_CHILD_H
#define MP4J_SPAWN_CHILD_H

#include <sys/types.h>

/* Where the child gave up; reported to Java, which names the call. Keep in sync with Spawn.java. */
enum mp4j_spawn_stage {
    MP4J_STAGE_NONE = 0,
    MP4J_STAGE_CLONE = 1,
    MP4J_STAGE_PDEATHSIG = 2,
    MP4J_STAGE_PARENT_GONE = 3,
    MP4J_STAGE_DUP = 4,
    MP4J_STAGE_DEVNULL = 5,
    MP4J_STAGE_DUP2 = 6,
    MP4J_STAGE_CLOSE_RANGE = 7,
    MP4J_STAGE_EXECVE = 8,
    MP4J_STAGE_PIDFD_OPEN = 9,
};

struct mp4j_spawn_plan {
    const char *path;
    char *const *argv;
    char *const *envp;
    /* The child's fd table is exactly 0..fd_count-1; fd_sources[i] is the parent fd that becomes
     * child fd i, or -1 for /dev/null. Everything at or above fd_count is closed. */
    int fd_count;
    const int *fd_sources;
    int *scratch;            /* fd_count ints, for temporaries above every target */
    int pdeathsig;           /* 0: none */
    int set_nice;            /* whether to give the child nice value `nice` */
    int nice;
    pid_t expected_parent;   /* to notice a parent that died before PR_SET_PDEATHSIG took hold */
    /* How everything at or above fd_count is closed: close_range where the kernel has it (5.9),
     * else each fd of close_list (the parent's open fds, read from /proc/self/fd before the
     * clone), else every number below max_fd (no /proc). */
    int use_close_range;
    const int *close_list;
    int close_count;
    int max_fd;
    /* Written by the child on failure; the parent reads them after the vfork-style clone returns. */
    volatile int failed_errno;
    volatile int failed_stage;
};

/* Entry point for clone(); never returns on success (execve). */
int mp4j_spawn_child_main(void *plan);

#endif
