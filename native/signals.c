/*
 * Signal dispositions: processes of ours that must not die of a terminal's Ctrl-C ignore it, and a
 * child JVM hands SIGTERM, SIGINT and SIGHUP back to the kernel.
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

int mp4j_register_signals(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"ignore0", "(I)I", (void *) ignore_signal},
        {"setDefault0", "(I)I", (void *) signal_default},
    };
    return mp4j_register(env, MP4J_PACKAGE "Signals", methods, MP4J_ARRAY_LENGTH(methods));
}
