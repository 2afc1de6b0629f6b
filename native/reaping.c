/*
 * Reaping processes this JVM did not start: orphans re-parented to us because we are PID 1 of a
 * PID namespace or a child subreaper. Only two primitives live here; which pid may be reaped is
 * decided in Java (OrphanReaper), and the reap itself goes through a pidfd (process_calls.c).
 */
#include <sys/prctl.h>
#include "common.h"
#include "mp4j.h"

#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#endif

/*
 * Looks, without reaping (WNOWAIT), for any child that has ended. Returns its pid, 0 when no child
 * has ended, or -errno (ECHILD: no children at all).
 */
static jint peek_exited_child(JNIEnv *env, jclass cls) {
    siginfo_t info;
    int rc = mp4j_waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT);
    return rc < 0 ? rc : info.si_pid;
}

/* prctl(PR_SET_CHILD_SUBREAPER, on): orphaned descendants are re-parented to us, not to init. */
static jint set_child_subreaper(JNIEnv *env, jclass cls, jboolean on) {
    return prctl(PR_SET_CHILD_SUBREAPER, (unsigned long) (on ? 1 : 0), 0UL, 0UL, 0UL) == 0 ? 0 : -errno;
}

int mp4j_register_reaping(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"peekExitedChild0", "()I", (void *) peek_exited_child},
        {"setChildSubreaper0", "(Z)I", (void *) set_child_subreaper},
    };
    return mp4j_register(env, MP4J_PACKAGE "Reaping", methods, MP4J_ARRAY_LENGTH(methods));
}
