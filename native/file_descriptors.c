/*
 * Plain file-descriptor calls: close, dup, pipes, read/write, poll. Every fd created here is
 * close-on-exec; a child gets only the fds its spawn plan maps in.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mp4j.h"

#define STACK_BUFFER 65536
#define MAX_POLL_FDS 1024

static jint close_wrapper(JNIEnv *env, jclass cls, jint fd) {
    /* Linux releases the fd even when close reports EINTR; retrying could close a reused fd. */
    return close(fd) == 0 || errno == EINTR ? 0 : -errno;
}

static jint dup_cloexec(JNIEnv *env, jclass cls, jint fd, jint lowest) {
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, lowest);
    return copy >= 0 ? copy : -errno;
}

static jint dup2_wrapper(JNIEnv *env, jclass cls, jint from, jint to) {
    int rc;
    do {
        rc = dup2(from, to);
    } while (rc < 0 && errno == EBUSY);
    return rc >= 0 ? rc : -errno;
}

/* F_GETFD flags (FD_CLOEXEC), or -EBADF for an fd that is not open. */
static jint fd_flags(JNIEnv *env, jclass cls, jint fd) {
    int flags = fcntl(fd, F_GETFD);
    return flags >= 0 ? flags : -errno;
}

static jint set_nonblocking(JNIEnv *env, jclass cls, jint fd, jboolean nonblocking) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) {
        return -errno;
    }
    flags = nonblocking ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags) == 0 ? 0 : -errno;
}

static jint pipe_wrapper(JNIEnv *env, jclass cls, jintArray out) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        return -errno;
    }
    (*env)->SetIntArrayRegion(env, out, 0, 2, (jint *) fds);
    return 0;
}

static jint open_wrapper(JNIEnv *env, jclass cls, jbyteArray path_bytes, jint flags, jint mode) {
    char *path = mp4j_copy_bytes_as_cstring(env, path_bytes);
    if (path == NULL) {
        return -ENOMEM;
    }
    int fd;
    do {
        fd = open(path, flags | O_CLOEXEC, (mode_t) mode);
    } while (fd < 0 && errno == EINTR);
    int saved = errno;
    free(path);
    return fd >= 0 ? fd : -saved;
}

/* One read(2) into array[offset, offset+length); bytes read, 0 at EOF, or -errno (EAGAIN too). */
static jint read_array(JNIEnv *env, jclass cls, jint fd, jbyteArray array, jint offset, jint length) {
    char stack[STACK_BUFFER];
    size_t wanted = (size_t) length < sizeof stack ? (size_t) length : sizeof stack;
    ssize_t n;
    do {
        n = read(fd, stack, wanted);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -errno;
    }
    (*env)->SetByteArrayRegion(env, array, offset, (jsize) n, (jbyte *) stack);
    return (jint) n;
}

/* One write(2) from array[offset, offset+length); bytes written or -errno (EAGAIN too). */
static jint write_array(JNIEnv *env, jclass cls, jint fd, jbyteArray array, jint offset, jint length) {
    char stack[STACK_BUFFER];
    size_t count = (size_t) length < sizeof stack ? (size_t) length : sizeof stack;
    (*env)->GetByteArrayRegion(env, array, offset, (jsize) count, (jbyte *) stack);
    ssize_t n;
    do {
        n = write(fd, stack, count);
    } while (n < 0 && errno == EINTR);
    return n >= 0 ? (jint) n : -errno;
}

/* One read(2) or write(2) on a direct ByteBuffer region, with no copy; bytes moved or -errno. */
static jint transfer_direct(JNIEnv *env, jint fd, jobject buffer, jint offset, jint length, int writing) {
    char *base = (*env)->GetDirectBufferAddress(env, buffer);
    if (base == NULL) {
        return -EINVAL;
    }
    ssize_t n;
    do {
        n = writing ? write(fd, base + offset, (size_t) length) : read(fd, base + offset, (size_t) length);
    } while (n < 0 && errno == EINTR);
    return n >= 0 ? (jint) n : -errno;
}

static jint read_direct(JNIEnv *env, jclass cls, jint fd, jobject buffer, jint offset, jint length) {
    return transfer_direct(env, fd, buffer, offset, length, 0);
}

static jint write_direct(JNIEnv *env, jclass cls, jint fd, jobject buffer, jint offset, jint length) {
    return transfer_direct(env, fd, buffer, offset, length, 1);
}

/*
 * poll(2) over fds[i] with events[i]; fills revents[i]. Returns the number of ready fds, 0 on
 * timeout, or -errno. EINTR is returned, not retried: the caller owns the deadline.
 */
static jint poll_wrapper(JNIEnv *env, jclass cls, jintArray fds, jintArray events,
                         jintArray revents, jint timeout_ms) {
    jsize count = (*env)->GetArrayLength(env, fds);
    if (count > MAX_POLL_FDS) {
        return -EINVAL;
    }
    struct pollfd polled[MAX_POLL_FDS];
    jint values[MAX_POLL_FDS];
    (*env)->GetIntArrayRegion(env, fds, 0, count, values);
    for (jsize i = 0; i < count; i++) {
        polled[i].fd = values[i];
        polled[i].revents = 0;
    }
    (*env)->GetIntArrayRegion(env, events, 0, count, values);
    for (jsize i = 0; i < count; i++) {
        polled[i].events = (short) values[i];
    }
    int n = poll(polled, (nfds_t) count, timeout_ms);
    if (n < 0) {
        return -errno;
    }
    for (jsize i = 0; i < count; i++) {
        values[i] = polled[i].revents;
    }
    (*env)->SetIntArrayRegion(env, revents, 0, count, values);
    return n;
}

int mp4j_register_file_descriptors(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"close0", "(I)I", (void *) close_wrapper},
        {"dupCloexec0", "(II)I", (void *) dup_cloexec},
        {"dup20", "(II)I", (void *) dup2_wrapper},
        {"flags0", "(I)I", (void *) fd_flags},
        {"setNonBlocking0", "(IZ)I", (void *) set_nonblocking},
        {"pipe0", "([I)I", (void *) pipe_wrapper},
        {"open0", "([BII)I", (void *) open_wrapper},
        {"read0", "(I[BII)I", (void *) read_array},
        {"write0", "(I[BII)I", (void *) write_array},
        {"readDirect0", "(ILjava/nio/ByteBuffer;II)I", (void *) read_direct},
        {"writeDirect0", "(ILjava/nio/ByteBuffer;II)I", (void *) write_direct},
        {"poll0", "([I[I[II)I", (void *) poll_wrapper},
    };
    return mp4j_register(env, MP4J_PACKAGE "FileDescriptors", methods, MP4J_ARRAY_LENGTH(methods));
}
