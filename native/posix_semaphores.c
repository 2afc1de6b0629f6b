/*
 * POSIX semaphores (sem_init with pshared=1) placed inside mapped shared memory.
 *
 * Java takes and gives units without crossing JNI when glibc's semaphore layout is the one it
 * knows (checked at load time with these calls); it calls in here to sleep in sem_wait or
 * sem_timedwait, and for every operation when the layout is unknown.
 */
#include <semaphore.h>
#include <time.h>
#include "common.h"
#include "mp4j.h"

/*
 * Bound to the oldest version of each sem_* symbol, not to the GLIBC_2.34 default a new glibc
 * links to: at 2.34 the functions only moved from libpthread into libc, with the same ABI and the
 * same sem_t layout, and libc keeps the old versions as aliases. An old glibc finds the old
 * versions in libpthread (linked in, see CMakeLists.txt), so the library loads on glibc 2.17.
 * sem_clockwait (2.30) has no old version: sem_timedwait stands in for it below.
 */
#if defined(__x86_64__)
#define MP4J_SEM_VERSION "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define MP4J_SEM_VERSION "GLIBC_2.17"
#else
#error "unknown architecture: which glibc version first had sem_init here?"
#endif
__asm__(".symver sem_init,sem_init@" MP4J_SEM_VERSION);
__asm__(".symver sem_trywait,sem_trywait@" MP4J_SEM_VERSION);
__asm__(".symver sem_wait,sem_wait@" MP4J_SEM_VERSION);
__asm__(".symver sem_timedwait,sem_timedwait@" MP4J_SEM_VERSION);
__asm__(".symver sem_post,sem_post@" MP4J_SEM_VERSION);
__asm__(".symver sem_getvalue,sem_getvalue@" MP4J_SEM_VERSION);

static sem_t *semaphore_at(JNIEnv *env, jobject buffer, jint offset) {
    return mp4j_buffer_word(env, buffer, offset, (jint) sizeof(sem_t), 8);
}

static jint sem_size(JNIEnv *env, jclass cls) {
    return (jint) sizeof(sem_t);
}

static jint sem_init_wrapper(JNIEnv *env, jclass cls, jobject buffer, jint offset, jint value) {
    sem_t *sem = semaphore_at(env, buffer, offset);
    if (sem == NULL) {
        return -EINVAL;
    }
    return sem_init(sem, 1, (unsigned int) value) == 0 ? 0 : -errno;
}

/* 0 when a unit was taken, -EAGAIN when there was none. */
static jint sem_trywait_wrapper(JNIEnv *env, jclass cls, jobject buffer, jint offset) {
    sem_t *sem = semaphore_at(env, buffer, offset);
    if (sem == NULL) {
        return -EINVAL;
    }
    int rc;
    do {
        rc = sem_trywait(sem);
    } while (rc < 0 && errno == EINTR);
    return rc == 0 ? 0 : -errno;
}

/*
 * Takes a unit, sleeping at most timeout_nanos (< 0: no limit) measured on CLOCK_MONOTONIC.
 * 0, -ETIMEDOUT, or another -errno. A signal does not end the wait early.
 */
static jint sem_wait_wrapper(JNIEnv *env, jclass cls, jobject buffer, jint offset, jlong timeout_nanos) {
    sem_t *sem = semaphore_at(env, buffer, offset);
    if (sem == NULL) {
        return -EINVAL;
    }
    int rc;
    if (timeout_nanos < 0) {
        do {
            rc = sem_wait(sem);
        } while (rc < 0 && errno == EINTR);
        return rc == 0 ? 0 : -errno;
    }
    /* sem_clockwait would take the monotonic deadline as it is, but exists only from glibc 2.30.
     * sem_timedwait only knows CLOCK_REALTIME: convert the monotonic deadline on every try, so
     * that a clock step shifts at most one try. */
    struct timespec deadline, now, real;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    mp4j_timespec_add_nanos(&deadline, timeout_nanos);
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
        jlong left = (jlong) (deadline.tv_sec - now.tv_sec) * MP4J_NANOS_PER_SECOND + (deadline.tv_nsec - now.tv_nsec);
        clock_gettime(CLOCK_REALTIME, &real);
        mp4j_timespec_add_nanos(&real, left > 0 ? left : 0);
        rc = sem_timedwait(sem, &real);
    } while (rc < 0 && errno == EINTR);
    return rc == 0 ? 0 : -errno;
}

/* 0, or -EOVERFLOW at SEM_VALUE_MAX. */
static jint sem_post_wrapper(JNIEnv *env, jclass cls, jobject buffer, jint offset) {
    sem_t *sem = semaphore_at(env, buffer, offset);
    if (sem == NULL) {
        return -EINVAL;
    }
    return sem_post(sem) == 0 ? 0 : -errno;
}

static jint sem_getvalue_wrapper(JNIEnv *env, jclass cls, jobject buffer, jint offset) {
    sem_t *sem = semaphore_at(env, buffer, offset);
    if (sem == NULL) {
        return -EINVAL;
    }
    int value;
    if (sem_getvalue(sem, &value) != 0) {
        return -errno;
    }
    return value < 0 ? 0 : value; /* POSIX allows a negative count of waiters; Python shows 0 */
}

int mp4j_register_posix_semaphores(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"size0", "()I", (void *) sem_size},
        {"init0", "(Ljava/nio/ByteBuffer;II)I", (void *) sem_init_wrapper},
        {"tryWait0", "(Ljava/nio/ByteBuffer;I)I", (void *) sem_trywait_wrapper},
        {"waitFor0", "(Ljava/nio/ByteBuffer;IJ)I", (void *) sem_wait_wrapper},
        {"post0", "(Ljava/nio/ByteBuffer;I)I", (void *) sem_post_wrapper},
        {"getValue0", "(Ljava/nio/ByteBuffer;I)I", (void *) sem_getvalue_wrapper},
    };
    return mp4j_register(env, MP4J_PACKAGE "PosixSemaphores", methods, MP4J_ARRAY_LENGTH(methods));
}
