/*
 * Which kernel calls newer than the 5.4 baseline this process uses, probed once when the library
 * loads. The environment variable MULTIPROCESSING4J_FORCE_FALLBACKS (names separated by commas:
 * "close_range,pipe_nowait") turns features off as if the kernel lacked them. It is read here, at load, and
 * not passed from Java, so that every child JVM, which inherits the environment, takes the same
 * path: that is how tests run the process semantics through each fallback.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <string.h>
#include "kernel_features.h"
#include "mp4j.h"
#include "common.h"

#define FORCE_VARIABLE "MULTIPROCESSING4J_FORCE_FALLBACKS"

static int available;

/* Whether `list` (comma-separated) names `feature`. */
static int names(const char *list, const char *feature) {
    size_t length = strlen(feature);
    for (const char *at = list; at != NULL && *at != '\0'; at = strchr(at, ',') ? strchr(at, ',') + 1 : NULL) {
        if (strncmp(at, feature, length) == 0 && (at[length] == ',' || at[length] == '\0')) {
            return 1;
        }
    }
    return 0;
}

/*
 * Whether a pipe honours RWF_NOWAIT: a read of an empty pipe must say EAGAIN (older kernels answer
 * EOPNOTSUPP for pipes, or EINVAL for the flag, or lack preadv2). Raw syscalls: glibc has the
 * wrappers only from 2.26, and the library needs no more than 2.17.
 */
static int pipes_honour_nowait(void) {
#ifdef SYS_preadv2
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        return 0;
    }
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    long n = syscall(SYS_preadv2, fds[0], &iov, 1, -1L, -1L, MP4J_RWF_NOWAIT);
    int honoured = n < 0 && errno == EAGAIN;
    close(fds[0]);
    close(fds[1]);
    return honoured;
#else
    return 0;
#endif
}

void mp4j_kernel_features_init(void) {
    int found = 0;
    /* Closes nothing: the range starts beyond any fd table. 0 where the call exists. */
    if (syscall(SYS_close_range, ~0U, ~0U, 0) == 0) {
        found |= MP4J_FEATURE_CLOSE_RANGE;
    }
    if (pipes_honour_nowait()) {
        found |= MP4J_FEATURE_PIPE_NOWAIT;
    }
    const char *forced = getenv(FORCE_VARIABLE);
    if (forced != NULL && names(forced, "close_range")) {
        found &= ~MP4J_FEATURE_CLOSE_RANGE;
    }
    if (forced != NULL && names(forced, "pipe_nowait")) {
        found &= ~MP4J_FEATURE_PIPE_NOWAIT;
    }
    available = found;
}

int mp4j_kernel_feature(int feature) {
    return (available & feature) != 0;
}

/* The mask of usable features, for Java to report and for tests to check a forced fallback. */
static jint features(JNIEnv *env, jclass cls) {
    return available;
}

int mp4j_register_kernel_features(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"features0", "()I", (void *) features},
    };
    return mp4j_register(env, MP4J_PACKAGE "KernelFeatures", methods, MP4J_ARRAY_LENGTH(methods));
}
