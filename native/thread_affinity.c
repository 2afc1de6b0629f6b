/*
 * CPU affinity of single threads. Linux keeps a CPU mask per thread, and a new thread starts with
 * its creator's: a thread of the library made by a thread that an affinity library pinned to one
 * CPU would stay there, and so would every child the spawner thread starts. The library's threads
 * take the process's mask instead: that of its first thread (tid == pid), the one the process was
 * started with (taskset, a cpuset).
 */
#include <sched.h>
#include "common.h"
#include "mp4j.h"

/* The most CPUs a mask is grown to: the kernel's NR_CPUS is at most 8192 today. */
#define MOST_CPUS (1 << 16)

/* Gives the calling thread the process's first thread's CPU mask; 0 or -errno. */
static jint take_process_affinity(JNIEnv *env, jclass cls) {
    for (int cpus = 1024;; cpus *= 2) {
        cpu_set_t *set = CPU_ALLOC(cpus);
        if (set == NULL) {
            return -ENOMEM;
        }
        size_t size = CPU_ALLOC_SIZE(cpus);
        if (sched_getaffinity(getpid(), size, set) != 0) {
            int error = errno;
            CPU_FREE(set);
            if (error == EINVAL && cpus < MOST_CPUS) {
                continue; /* a mask smaller than the kernel's: grow it */
            }
            return -error;
        }
        int result = sched_setaffinity(0, size, set) == 0 ? 0 : -errno;
        CPU_FREE(set);
        return result;
    }
}

int mp4j_register_thread_affinity(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"takeProcessAffinity0", "()I", (void *) take_process_affinity},
    };
    return mp4j_register(env, MP4J_PACKAGE "ThreadAffinity", methods, MP4J_ARRAY_LENGTH(methods));
}
