/*
 * Signal dispositions: processes of ours that must not die of a terminal's Ctrl-C ignore it, a
 * child JVM hands SIGTERM, SIGINT and SIGHUP back to the kernel, and a parent makes the kernel
 * keep its children's exit statuses.
 */
#include "common.h"
#include "mp4j.h"

static jint ignore_signal(JNIEnv *env, jclass cls, jint sig) {
    return mp4j_set_disposition(sig, SIG_IGN) == 0 ? 0 : -errno;
}

/* Restores the default action of a signal: a child JVM hands SIGTERM, SIGINT and SIGHUP back to
 * the kernel, so that they end it with exit code -N as in Python rather than through the JVM's
 * shutdown (status 128+N). */
static jint signal_default(JNIEnv *env, jclass cls, jint sig) {
    return mp4j_set_disposition(sig, SIG_DFL) == 0 ? 0 : -errno;
}

/* With SIGCHLD ignored, or a handler installed with SA_NOCLDWAIT, the kernel reaps children itself
 * and discards their exit statuses. Undoes that (an ignored SIGCHLD becomes SIG_DFL, which ignores
 * it too, but keeps statuses; a handler stays, without the flag). 1 if something changed, 0 if
 * nothing needed to, -errno on failure. */
static jint keep_child_statuses(JNIEnv *env, jclass cls) {
    struct sigaction action;
    if (sigaction(SIGCHLD, NULL, &action) != 0) {
        return -errno;
    }
    if (action.sa_handler != SIG_IGN && !(action.sa_flags & SA_NOCLDWAIT)) {
        return 0;
    }
    if (action.sa_handler == SIG_IGN) {
        action.sa_handler = SIG_DFL;
    }
    action.sa_flags &= ~SA_NOCLDWAIT;
    return sigaction(SIGCHLD, &action, NULL) == 0 ? 1 : -errno;
}

int mp4j_register_signals(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"ignore0", "(I)I", (void *) ignore_signal},
        {"setDefault0", "(I)I", (void *) signal_default},
        {"keepChildStatuses0", "()I", (void *) keep_child_statuses},
    };
    return mp4j_register(env, MP4J_PACKAGE "Signals", methods, MP4J_ARRAY_LENGTH(methods));
}
