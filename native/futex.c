/*
 * Process-shared futexes on 32-bit words inside mapped shared memory: the kernel half of the
 * locks, events and barriers whose uncontended paths run in Java on the same words.
 *
 * Shared (not FUTEX_PRIVATE_FLAG) operations, because waiter and waker are in different processes.
 * Waits use FUTEX_WAIT_BITSET, whose timeout is an absolute CLOCK_MONOTONIC time, so a wait
 * interrupted by a signal resumes with exactly the time that remains.
 */
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "common.h"
#include "mp4j.h"

/*
 * Sleeps while buffer[offset] holds `expected`, at most timeout_nanos (< 0: no limit).
 * 0 when woken (possibly spuriously), -EAGAIN when the word did not hold `expected`,
 * -ETIMEDOUT, or another -errno.
 */
static jint futex_wait(JNIEnv *env, jclass cls, jobject buffer, jint offset, jint expected, jlong timeout_nanos) {
    unsigned int *word = mp4j_buffer_word(env, buffer, offset, 4, 4);
    if (word == NULL) {
        return -EINVAL;
    }
    struct timespec deadline;
    if (timeout_nanos >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        mp4j_timespec_add_nanos(&deadline, timeout_nanos);
    }
    long rc;
    do {
        rc = syscall(SYS_futex, word, FUTEX_WAIT_BITSET, (unsigned int) expected,
                     timeout_nanos >= 0 ? &deadline : NULL, NULL, FUTEX_BITSET_MATCH_ANY);
    } while (rc < 0 && errno == EINTR);
    return rc == 0 ? 0 : -errno;
}

/* Wakes at most `count` waiters on buffer[offset]; returns how many were woken, or -errno. */
static jint futex_wake(JNIEnv *env, jclass cls, jobject buffer, jint offset, jint count) {
    unsigned int *word = mp4j_buffer_word(env, buffer, offset, 4, 4);
    if (word == NULL) {
        return -EINVAL;
    }
    long rc = syscall(SYS_futex, word, FUTEX_WAKE, count < 0 ? INT_MAX : count, NULL, NULL, 0);
    return rc >= 0 ? (jint) rc : -errno;
}

int mp4j_register_futex(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"waitWord0", "(Ljava/nio/ByteBuffer;IIJ)I", (void *) futex_wait},
        {"wake0", "(Ljava/nio/ByteBuffer;II)I", (void *) futex_wake},
    };
    return mp4j_register(env, MP4J_PACKAGE "Futex", methods, MP4J_ARRAY_LENGTH(methods));
}
