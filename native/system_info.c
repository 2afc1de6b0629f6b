/* What this process may run on: the CPU affinity mask. (cgroup quotas are read in Java.) */
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include "mp4j.h"

/* Number of CPUs in this thread's affinity mask, or -errno. */
static jint affinity_cpu_count(JNIEnv *env, jclass cls) {
    for (int size = 1024; size <= 1 << 20; size *= 2) {
        cpu_set_t *set = CPU_ALLOC(size);
        if (set == NULL) {
            return -ENOMEM;
        }
        size_t bytes = CPU_ALLOC_SIZE(size);
        CPU_ZERO_S(bytes, set);
        if (sched_getaffinity(0, bytes, set) == 0) {
            int count = CPU_COUNT_S(bytes, set);
            CPU_FREE(set);
            return count;
        }
        int err = errno;
        CPU_FREE(set);
        if (err != EINVAL) {
            return -err;
        }
    }
    return -EINVAL;
}

static jint online_cpu_count(JNIEnv *env, jclass cls) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (jint) n : -errno;
}

int mp4j_register_system_info(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"affinityCpuCount0", "()I", (void *) affinity_cpu_count},
        {"onlineCpuCount0", "()I", (void *) online_cpu_count},
    };
    return mp4j_register(env, MP4J_PACKAGE "SystemInfo", methods, MP4J_ARRAY_LENGTH(methods));
}
