/* Signal dispositions, for processes of ours that must not die of a terminal's Ctrl-C. */
#include <signal.h>
#include <string.h>
#include "mp4j.h"

static jint ignore_signal(JNIEnv *env, jclass cls, jint sig) {
    struct sigaction ignore;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    return sigaction(sig, &ignore, NULL) == 0 ? 0 : -errno;
}

int mp4j_register_signals(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"ignore0", "(I)I", (void *) ignore_signal},
    };
    return mp4j_register(env, MP4J_PACKAGE "Signals", methods, MP4J_ARRAY_LENGTH(methods));
}
