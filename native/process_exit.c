/*
 * Ending this process at once, as Python's forkserver and fork children end (os._exit): used by
 * a warm child once nothing is left to run at exit, where the JVM's own exit sequence would cost
 * milliseconds (it waits in 10 ms steps for threads in native code, compiler threads included).
 */
#include <unistd.h>
#include "mp4j.h"

static void exit_now(JNIEnv *env, jclass cls, jint status) {
    _exit(status);
}

int mp4j_register_process_exit(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"exitNow0", "(I)V", (void *) exit_now},
    };
    return mp4j_register(env, MP4J_PACKAGE "ProcessExit", methods, MP4J_ARRAY_LENGTH(methods));
}
