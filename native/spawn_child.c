/*
 * Runs in the child between clone(CLONE_VM|CLONE_VFORK) and execve. The child shares the parent
 * JVM's memory while its other threads keep running, so this file may only use async-signal-safe
 * calls and the plan prepared beforehand: no malloc, no stdio, no locks, no JNI.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "common.h"
#include "spawn_child.h"

static __attribute__((noreturn)) void give_up(struct mp4j_spawn_plan *plan, int stage, int err) {
    plan->failed_errno = err;
    plan->failed_stage = stage;
    _exit(127);
}

/*
 * The parent blocked every signal before cloning, so no JVM handler can run here. Reset each
 * disposition before unblocking: a handler of the JVM's running in this child would run on shared
 * memory. SIG_IGN is reset too, so that terminate() always works on the new JVM.
 */
static void reset_signals(void) {
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            (void) mp4j_set_disposition(sig, SIG_DFL); /* EINVAL for libc-reserved signals: harmless */
        }
    }
    sigset_t none;
    sigemptyset(&none);
    (void) sigprocmask(SIG_SETMASK, &none, NULL);
}

static int close_from(struct mp4j_spawn_plan *plan, int lowest) {
    if (plan->use_close_range) {
        return syscall(SYS_close_range, (unsigned) lowest, ~0U, 0) == 0 ? 0 : -1;
    }
    if (plan->close_list != NULL) {
        for (int i = 0; i < plan->close_count; i++) {
            if (plan->close_list[i] >= lowest) {
                (void) close(plan->close_list[i]); /* EBADF for one closed meanwhile: harmless */
            }
        }
        return 0;
    }
    for (int fd = lowest; fd < plan->max_fd; fd++) {
        (void) close(fd);
    }
    return 0;
}

/*
 * Builds the planned fd table. Sources are first duplicated above every target, so that a source
 * which is also a target (the parent's stderr becoming fd 4 while fd 2 gets a pipe, say) is never
 * overwritten before it has been copied.
 */
static void install_fds(struct mp4j_spawn_plan *plan) {
    int base = plan->fd_count > 3 ? plan->fd_count : 3;
    for (int i = 0; i < plan->fd_count; i++) {
        int source = plan->fd_sources[i];
        int copy;
        if (source < 0) {
            int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
            if (null_fd < 0) {
                give_up(plan, MP4J_STAGE_DEVNULL, errno);
            }
            copy = fcntl(null_fd, F_DUPFD_CLOEXEC, base);
            (void) close(null_fd);
        } else {
            copy = fcntl(source, F_DUPFD_CLOEXEC, base);
        }
        if (copy < 0) {
            give_up(plan, MP4J_STAGE_DUP, errno);
        }
        plan->scratch[i] = copy;
    }
    for (int i = 0; i < plan->fd_count; i++) {
        if (dup2(plan->scratch[i], i) < 0) { /* the new fd i is not close-on-exec */
            give_up(plan, MP4J_STAGE_DUP2, errno);
        }
    }
    if (close_from(plan, plan->fd_count) != 0) {
        give_up(plan, MP4J_STAGE_CLOSE_RANGE, errno);
    }
}

int mp4j_spawn_child_main(void *argument) {
    struct mp4j_spawn_plan *plan = argument;
    reset_signals();
    if (plan->set_nice) {
        /*
         * This task's own (Linux keeps one per thread; the program keeps it across execve), so the
         * spawning thread stays as it is. A value nicer than the spawner's needs no privilege; a
         * less nice one fails without CAP_SYS_NICE, and the child keeps the spawner's.
         */
        (void) setpriority(PRIO_PROCESS, 0, plan->nice);
    }
    if (plan->pdeathsig != 0) {
        /* Tied to the spawning thread, which is why Java spawns from one long-lived thread. */
        if (prctl(PR_SET_PDEATHSIG, plan->pdeathsig) != 0) {
            give_up(plan, MP4J_STAGE_PDEATHSIG, errno);
        }
        if (getppid() != plan->expected_parent) {
            give_up(plan, MP4J_STAGE_PARENT_GONE, ESRCH);
        }
    }
    install_fds(plan);
    execve(plan->path, plan->argv, plan->envp);
    give_up(plan, MP4J_STAGE_EXECVE, errno);
}
