/*
 * Nice values of single threads: a warm spare boots at a lower priority than its parent, so that
 * its boot does not slow the parent's starts, and takes its parent's priority back before it
 * waits for orders (Linux keeps a nice value per thread: setpriority on a thread id is that
 * thread's alone).
 */
#include <sys/resource.h>
#include "common.h"
#include "mp4j.h"

/* The nice value of thread (or process) id, offset by +20 to keep it non-negative; or -errno. */
static jint nice_of(JNIEnv *env, jclass cls, jint id) {
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, (id_t) id);
    if (nice == -1 && errno != 0) {
        return -errno;
    }
    return nice + 20;
}

/* Sets the nice value of thread id (0: the calling thread); 0 or -errno. */
static jint set_nice(JNIEnv *env, jclass cls, jint id, jint nice) {
    return setpriority(PRIO_PROCESS, (id_t) id, nice) == 0 ? 0 : -errno;
}

int mp4j_register_thread_priorities(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"niceOf0", "(I)I", (void *) nice_of},
        {"setNice0", "(II)I", (void *) set_nice},
    };
    return mp4j_register(env, MP4J_PACKAGE "ThreadPriorities", methods, MP4J_ARRAY_LENGTH(methods));
}
