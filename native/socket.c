/*
 * Sockets: socketpairs for control channels and connections. Created SOCK_CLOEXEC; writes use
 * MSG_NOSIGNAL so a dead peer is an EPIPE result, not a SIGPIPE.
 */
#include <sys/socket.h>
#include <unistd.h>
#include "mp4j.h"

static jint socketpair_wrapper(JNIEnv *env, jclass cls, jintArray out) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        return -errno;
    }
    (*env)->SetIntArrayRegion(env, out, 0, 2, (jint *) fds);
    return 0;
}

static jint shutdown_wrapper(JNIEnv *env, jclass cls, jint fd, jint how) {
    return shutdown(fd, how) == 0 ? 0 : -errno;
}

/* One send(2) from array[offset, offset+length) with MSG_NOSIGNAL; bytes sent or -errno. */
static jint send_array(JNIEnv *env, jclass cls, jint fd, jbyteArray array, jint offset, jint length) {
    char stack[65536];
    size_t count = (size_t) length < sizeof stack ? (size_t) length : sizeof stack;
    (*env)->GetByteArrayRegion(env, array, offset, (jsize) count, (jbyte *) stack);
    ssize_t n;
    do {
        n = send(fd, stack, count, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n >= 0 ? (jint) n : -errno;
}

int mp4j_register_socket(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"socketpair", "([I)I", (void *) socketpair_wrapper},
        {"shutdown", "(II)I", (void *) shutdown_wrapper},
        {"send", "(I[BII)I", (void *) send_array},
    };
    return mp4j_register(env, MP4J_PACKAGE "Sockets", methods, MP4J_ARRAY_LENGTH(methods));
}
