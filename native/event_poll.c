/*
 * epoll and eventfd: how one reaper thread waits on the pidfds of every child at once, and how
 * other threads wake it.
 */
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "mp4j.h"

#define MAX_EVENTS 64

static jint epoll_create_wrapper(JNIEnv *env, jclass cls) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd >= 0 ? fd : -errno;
}

/* Watches fd for readability under key; the key comes back from wait(). */
static jint epoll_add(JNIEnv *env, jclass cls, jint epfd, jint fd, jlong key) {
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = (uint64_t) key};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) == 0 ? 0 : -errno;
}

/*
 * Arms a one-shot watch of fd for `events` (EPOLLIN, EPOLLOUT) under key: reported once, then
 * disarmed until armed again. Modifies the fd's registration, or adds one if it has none.
 */
static jint epoll_arm_oneshot(JNIEnv *env, jclass cls, jint epfd, jint fd, jint events, jlong key) {
    struct epoll_event event = {.events = (uint32_t) events | EPOLLONESHOT, .data.u64 = (uint64_t) key};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &event) == 0) {
        return 0;
    }
    if (errno != ENOENT) {
        return -errno;
    }
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) == 0 ? 0 : -errno;
}

static jint epoll_remove(JNIEnv *env, jclass cls, jint epfd, jint fd) {
    struct epoll_event unused = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &unused) == 0 ? 0 : -errno;
}

/* Fills keys with the keys of ready fds; returns their count, 0 on timeout, or -errno (EINTR too:
 * the caller owns the deadline). */
static jint epoll_wait_keys(JNIEnv *env, jclass cls, jint epfd, jlongArray keys, jint timeout_ms) {
    struct epoll_event events[MAX_EVENTS];
    jsize capacity = (*env)->GetArrayLength(env, keys);
    int max = capacity < MAX_EVENTS ? capacity : MAX_EVENTS;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    if (n < 0) {
        return -errno;
    }
    jlong ready[MAX_EVENTS];
    for (int i = 0; i < n; i++) {
        ready[i] = (jlong) events[i].data.u64;
    }
    (*env)->SetLongArrayRegion(env, keys, 0, n, ready);
    return n;
}

static jint eventfd_create(JNIEnv *env, jclass cls, jint initial) {
    int fd = eventfd((unsigned) initial, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd >= 0 ? fd : -errno;
}

static jint eventfd_signal(JNIEnv *env, jclass cls, jint fd) {
    uint64_t one = 1;
    ssize_t n;
    do {
        n = write(fd, &one, sizeof one);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t) sizeof one || errno == EAGAIN ? 0 : -errno;
}

/* Resets the counter; returns 1 if it was signalled, 0 if not. */
static jint eventfd_drain(JNIEnv *env, jclass cls, jint fd) {
    uint64_t value;
    ssize_t n;
    do {
        n = read(fd, &value, sizeof value);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return errno == EAGAIN ? 0 : -errno;
    }
    return 1;
}

int mp4j_register_event_poll(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"create0", "()I", (void *) epoll_create_wrapper},
        {"add0", "(IIJ)I", (void *) epoll_add},
        {"armOneShot0", "(IIIJ)I", (void *) epoll_arm_oneshot},
        {"remove0", "(II)I", (void *) epoll_remove},
        {"waitKeys0", "(I[JI)I", (void *) epoll_wait_keys},
        {"eventfdCreate0", "(I)I", (void *) eventfd_create},
        {"eventfdSignal0", "(I)I", (void *) eventfd_signal},
        {"eventfdDrain0", "(I)I", (void *) eventfd_drain},
    };
    return mp4j_register(env, MP4J_PACKAGE "EventPoll", methods, MP4J_ARRAY_LENGTH(methods));
}
