/*
 * Process identity, exit status and signals, all through pidfds: a pidfd names one process for
 * good, so a signal or a wait can never hit a recycled pid.
 */
#include <signal.h>
#include <sys/prctl.h>
#include "common.h"
#include "mp4j.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static jint pidfd_open_wrapper(JNIEnv *env, jclass cls, jint pid) {
    int fd = mp4j_pidfd_open(pid);
    return fd >= 0 ? fd : -errno;
}

/*
 * Collects the exit status of the child behind pidfd.
 * Returns 1 with out[0] = si_code (CLD_EXITED, CLD_KILLED, CLD_DUMPED) and out[1] = si_status,
 * 0 when nohang and the child still runs, or -errno (ECHILD: somebody else reaped it).
 */
static jint waitid_pidfd(JNIEnv *env, jclass cls, jint pidfd, jboolean nohang, jintArray out) {
    siginfo_t info;
    int rc = mp4j_waitid((idtype_t) P_PIDFD, (id_t) pidfd, &info, WEXITED | (nohang ? WNOHANG : 0));
    if (rc < 0) {
        return rc;
    }
    if (info.si_pid == 0) {
        return 0;
    }
    jint status[2] = {info.si_code, info.si_status};
    (*env)->SetIntArrayRegion(env, out, 0, 2, status);
    return 1;
}

static jint pidfd_send_signal_wrapper(JNIEnv *env, jclass cls, jint pidfd, jint sig) {
    int rc = (int) syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
    return rc == 0 ? 0 : -errno;
}

static jint kill_wrapper(JNIEnv *env, jclass cls, jint pid, jint sig) {
    return kill(pid, sig) == 0 ? 0 : -errno;
}

/* PR_SET_PDEATHSIG for the calling thread's process; 0 disarms it. A warm spare is spawned armed
 * (an unused spare must die with its parent) and disarms itself on becoming a non-daemon child. */
static jint set_parent_death_signal(JNIEnv *env, jclass cls, jint sig) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long) sig) == 0 ? 0 : -errno;
}

static jint getpid_wrapper(JNIEnv *env, jclass cls) {
    return getpid();
}

static jint getppid_wrapper(JNIEnv *env, jclass cls) {
    return getppid();
}

int mp4j_register_process_calls(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"pidfdOpen0", "(I)I", (void *) pidfd_open_wrapper},
        {"waitidPidfd0", "(IZ[I)I", (void *) waitid_pidfd},
        {"pidfdSendSignal0", "(II)I", (void *) pidfd_send_signal_wrapper},
        {"kill0", "(II)I", (void *) kill_wrapper},
        {"setParentDeathSignal0", "(I)I", (void *) set_parent_death_signal},
        {"getpid0", "()I", (void *) getpid_wrapper},
        {"getppid0", "()I", (void *) getppid_wrapper},
    };
    return mp4j_register(env, MP4J_PACKAGE "ProcessCalls", methods, MP4J_ARRAY_LENGTH(methods));
}
