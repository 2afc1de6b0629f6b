/*
 * Starts a child process running a new program, the way posix_spawn does it (clone with CLONE_VM
 * and CLONE_VFORK on a private stack) but with the few extra steps posix_spawn cannot take:
 * PR_SET_PDEATHSIG, an exact fd table and a nice value of the child's own. The child side lives in
 * spawn_child.c.
 */
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "common.h"
#include "kernel_features.h"
#include "mp4j.h"
#include "spawn_child.h"

#define CHILD_STACK_SIZE (256 * 1024)

extern char **environ;

/*
 * The calling thread's signal mask, as pthread_sigmask sets it, through the system call: glibc
 * re-versioned pthread_sigmask at 2.32. Like glibc, it leaves alone the two signals glibc keeps
 * for itself (thread cancellation and set*id broadcast: the first two real-time signals).
 */
static void thread_sigmask(int how, sigset_t *set, sigset_t *previous) {
    if (set != NULL) {
        sigdelset(set, 32);
        sigdelset(set, 33);
    }
    (void) syscall(SYS_rt_sigprocmask, how, set, previous, (size_t) (_NSIG / 8));
}

static void free_string_array(char **strings, int count) {
    if (strings == NULL) {
        return;
    }
    for (int i = 0; i < count; i++) {
        free(strings[i]);
    }
    free(strings);
}

/* byte[][] → NULL-terminated char*[]; NULL with an exception pending or on OOM. */
static char **copy_string_array(JNIEnv *env, jobjectArray array, int *count_out) {
    jsize count = (*env)->GetArrayLength(env, array);
    char **strings = calloc((size_t) count + 1, sizeof(char *));
    if (strings == NULL) {
        return NULL;
    }
    for (jsize i = 0; i < count; i++) {
        jbyteArray element = (jbyteArray) (*env)->GetObjectArrayElement(env, array, i);
        strings[i] = element == NULL ? NULL : mp4j_copy_bytes_as_cstring(env, element);
        if (element != NULL) {
            (*env)->DeleteLocalRef(env, element);
        }
        if (strings[i] == NULL) {
            free_string_array(strings, i);
            return NULL;
        }
    }
    *count_out = count;
    return strings;
}

/* Reaps a child that gave up before execve, so that a failed spawn leaves no zombie. */
static void reap_failed_child(pid_t pid) {
    int status;
    while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
}

/*
 * This process's environment without the variables named in unset (count of them), as a
 * NULL-terminated array of pointers into environ (its strings are not copied: they keep whatever
 * bytes they hold, in any encoding); NULL on OOM.
 */
static char **environment_without(char **unset, int unset_count) {
    size_t count = 0;
    while (environ[count] != NULL) {
        count++;
    }
    char **kept = calloc(count + 1, sizeof(char *));
    if (kept == NULL) {
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        int drop = 0;
        for (int u = 0; u < unset_count && !drop; u++) {
            size_t length = strlen(unset[u]);
            drop = strncmp(environ[i], unset[u], length) == 0 && environ[i][length] == '=';
        }
        if (!drop) {
            kept[k++] = environ[i];
        }
    }
    return kept;
}

/*
 * spawn(path, argv, unset, fdSources, pdeathsig, nice, out) → 0 or -errno. The child's environment
 * is ours less the variables named in unset (null: all of ours); it runs at nice value `nice`
 * (INT_MIN: the spawning thread's), best effort.
 * out[0] = pid, out[1] = pidfd (close-on-exec), out[2] = stage that failed (spawn_child.h).
 */
static jint spawn(JNIEnv *env, jclass cls, jbyteArray path_bytes, jobjectArray argv_array,
                  jobjectArray unset_array, jintArray fd_sources_array, jint pdeathsig, jint nice, jintArray out) {
    jint result = -ENOMEM;
    int *close_list = NULL;
    jint report[3] = {0, -1, MP4J_STAGE_NONE};
    int argc = 0;
    int unset_count = 0;
    char *path = mp4j_copy_bytes_as_cstring(env, path_bytes);
    char **argv = copy_string_array(env, argv_array, &argc);
    char **unset = unset_array == NULL ? NULL : copy_string_array(env, unset_array, &unset_count);
    char **envp = unset == NULL ? NULL : environment_without(unset, unset_count);
    jsize fd_count = (*env)->GetArrayLength(env, fd_sources_array);
    int *fd_sources = malloc(sizeof(int) * (size_t) (fd_count > 0 ? fd_count : 1));
    int *scratch = malloc(sizeof(int) * (size_t) (fd_count > 0 ? fd_count : 1));
    void *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if ((*env)->ExceptionCheck(env) || path == NULL || argv == NULL || (unset_array != NULL && envp == NULL)
            || fd_sources == NULL
            || scratch == NULL || stack == MAP_FAILED) {
        report[2] = MP4J_STAGE_CLONE;
        goto out;
    }
    (*env)->GetIntArrayRegion(env, fd_sources_array, 0, fd_count, (jint *) fd_sources);

    struct rlimit files;
    int max_fd = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
                 && files.rlim_cur < 1048576 ? (int) files.rlim_cur : 1048576;
    int use_close_range = mp4j_kernel_feature(MP4J_FEATURE_CLOSE_RANGE);
    int close_count = 0;
    close_list = use_close_range ? NULL : mp4j_list_open_fds(fd_count, &close_count);
    struct mp4j_spawn_plan plan = {
        .path = path,
        .argv = argv,
        .envp = envp != NULL ? envp : environ,
        .fd_count = fd_count,
        .fd_sources = fd_sources,
        .scratch = scratch,
        .pdeathsig = pdeathsig,
        .set_nice = nice != INT_MIN,
        .nice = nice,
        .expected_parent = getpid(),
        .use_close_range = use_close_range,
        .close_list = close_list,
        .close_count = close_count,
        .max_fd = max_fd,
        .failed_errno = 0,
        .failed_stage = MP4J_STAGE_NONE,
    };

    /* No JVM signal handler may run in the child while it shares our memory. */
    sigset_t all, previous;
    sigfillset(&all);
    thread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = clone(mp4j_spawn_child_main, (char *) stack + CHILD_STACK_SIZE,
                      CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
    int clone_errno = errno;
    thread_sigmask(SIG_SETMASK, &previous, NULL);

    /* CLONE_VFORK: we resume only once the child has called execve or _exit. */
    if (pid < 0) {
        result = -clone_errno;
        report[2] = MP4J_STAGE_CLONE;
    } else if (plan.failed_stage != MP4J_STAGE_NONE) {
        reap_failed_child(pid);
        result = -plan.failed_errno;
        report[2] = plan.failed_stage;
    } else {
        /* The child cannot be reaped before we look, so the pid cannot have been reused yet. */
        int pidfd = mp4j_pidfd_open(pid);
        if (pidfd < 0) {
            result = -errno;
            report[2] = MP4J_STAGE_PIDFD_OPEN;
            kill(pid, SIGKILL);
            reap_failed_child(pid);
        } else {
            result = 0;
            report[0] = pid;
            report[1] = pidfd;
        }
    }
out:
    if (stack != MAP_FAILED) {
        munmap(stack, CHILD_STACK_SIZE);
    }
    free(close_list);
    free(scratch);
    free(fd_sources);
    free_string_array(argv, argc);
    free(envp); /* its strings are environ's */
    free_string_array(unset, unset_count);
    free(path);
    if (!(*env)->ExceptionCheck(env)) {
        (*env)->SetIntArrayRegion(env, out, 0, 3, report);
    }
    return result;
}

int mp4j_register_spawn(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"spawn0", "([B[[B[[B[III[I)I", (void *) spawn},
    };
    return mp4j_register(env, MP4J_PACKAGE "Spawn", methods, MP4J_ARRAY_LENGTH(methods));
}
