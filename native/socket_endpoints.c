/*
 * Socket endpoints for Listener and Client: AF_UNIX stream sockets bound to a path or to a Linux
 * abstract name, and TCP sockets (IPv4 or IPv6). One system call per function, so that Java can
 * name the call that failed; every socket is created and accepted close-on-exec.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "common.h"
#include "mp4j.h"

/* Address families as Java names them (kept apart from the libc's numbers on purpose). */
#define FAMILY_UNIX 0
#define FAMILY_INET4 1
#define FAMILY_INET6 2

/*
 * Fills a sockaddr_un. A path is NUL-terminated; an abstract name starts with a NUL byte and is
 * exactly as long as given (that is how Linux tells the two apart, and how Python writes it).
 */
static int unix_address(JNIEnv *env, jbyteArray name, jboolean abstract, struct sockaddr_un *out,
                        socklen_t *length) {
    jsize n = (*env)->GetArrayLength(env, name);
    memset(out, 0, sizeof *out);
    out->sun_family = AF_UNIX;
    if ((size_t) n + 1 > sizeof out->sun_path) {
        return -ENAMETOOLONG;
    }
    if (abstract) {
        (*env)->GetByteArrayRegion(env, name, 0, n, (jbyte *) out->sun_path + 1);
        *length = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + (size_t) n);
    } else {
        if (n == 0) {
            return -EINVAL;
        }
        (*env)->GetByteArrayRegion(env, name, 0, n, (jbyte *) out->sun_path);
        *length = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + (size_t) n + 1);
    }
    return 0;
}

/* Fills a sockaddr_in (4 address bytes) or sockaddr_in6 (16 bytes, with scope id). */
static int inet_address(JNIEnv *env, jbyteArray address, jint port, jint scope, struct sockaddr_storage *out,
                        socklen_t *length) {
    jsize n = (*env)->GetArrayLength(env, address);
    memset(out, 0, sizeof *out);
    if (n == 4) {
        struct sockaddr_in *in4 = (struct sockaddr_in *) out;
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t) port);
        (*env)->GetByteArrayRegion(env, address, 0, 4, (jbyte *) &in4->sin_addr);
        *length = sizeof *in4;
        return 0;
    }
    if (n == 16) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) out;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t) port);
        in6->sin6_scope_id = (uint32_t) scope;
        (*env)->GetByteArrayRegion(env, address, 0, 16, (jbyte *) &in6->sin6_addr);
        *length = sizeof *in6;
        return 0;
    }
    return -EAFNOSUPPORT;
}

static jint socket_wrapper(JNIEnv *env, jclass cls, jint family) {
    int domain = family == FAMILY_UNIX ? AF_UNIX : family == FAMILY_INET4 ? AF_INET : AF_INET6;
    int fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);
    return fd >= 0 ? fd : -errno;
}

/* What is done at an address once it is filled: bind or connect. 0 or -errno. */
typedef int (*address_call)(int fd, const struct sockaddr *address, socklen_t length);

static int bind_to(int fd, const struct sockaddr *address, socklen_t length) {
    return bind(fd, address, length) == 0 ? 0 : -errno;
}

/*
 * Starts a connect without blocking, so that Java decides how long to wait and how (a virtual
 * thread parks, an interrupt ends the wait): 0 once connected, -EINPROGRESS while a TCP handshake
 * goes on (wait for POLLOUT, then connect_outcome), -EAGAIN where an AF_UNIX listener's backlog is
 * full (try again later: nothing can be polled for that). The socket is blocking again on return,
 * as the library's sockets are; a connect in progress goes on all the same.
 */
static int connect_to(int fd, const struct sockaddr *address, socklen_t length) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        return -errno;
    }
    int rc = connect(fd, address, length) == 0 ? 0 : -errno;
    if (fcntl(fd, F_SETFL, flags) != 0) {
        return -errno;
    }
    return rc;
}

static jint at_unix_address(JNIEnv *env, jint fd, jbyteArray name, jboolean abstract, address_call call) {
    struct sockaddr_un address;
    socklen_t length;
    int rc = unix_address(env, name, abstract, &address, &length);
    return rc != 0 ? rc : call(fd, (struct sockaddr *) &address, length);
}

static jint at_inet_address(JNIEnv *env, jint fd, jbyteArray host, jint port, jint scope, address_call call) {
    struct sockaddr_storage address;
    socklen_t length;
    int rc = inet_address(env, host, port, scope, &address, &length);
    return rc != 0 ? rc : call(fd, (struct sockaddr *) &address, length);
}

static jint bind_unix(JNIEnv *env, jclass cls, jint fd, jbyteArray name, jboolean abstract) {
    return at_unix_address(env, fd, name, abstract, bind_to);
}

static jint bind_inet(JNIEnv *env, jclass cls, jint fd, jbyteArray host, jint port, jint scope) {
    return at_inet_address(env, fd, host, port, scope, bind_to);
}

static jint listen_wrapper(JNIEnv *env, jclass cls, jint fd, jint backlog) {
    return listen(fd, backlog) == 0 ? 0 : -errno;
}

/* accept4 with SOCK_CLOEXEC; retries EINTR (a blocked accept is woken by shutdown, not by signals). */
static jint accept_wrapper(JNIEnv *env, jclass cls, jint fd) {
    int accepted;
    do {
        accepted = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    } while (accepted < 0 && errno == EINTR);
    return accepted >= 0 ? accepted : -errno;
}

static jint connect_unix(JNIEnv *env, jclass cls, jint fd, jbyteArray name, jboolean abstract) {
    return at_unix_address(env, fd, name, abstract, connect_to);
}

static jint connect_inet(JNIEnv *env, jclass cls, jint fd, jbyteArray host, jint port, jint scope) {
    return at_inet_address(env, fd, host, port, scope, connect_to);
}

/* The local port of a bound inet socket (what port 0 turned into), or -errno. */
static jint local_port(JNIEnv *env, jclass cls, jint fd) {
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    if (getsockname(fd, (struct sockaddr *) &address, &length) != 0) {
        return -errno;
    }
    if (address.ss_family == AF_INET) {
        return ntohs(((struct sockaddr_in *) &address)->sin_port);
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(((struct sockaddr_in6 *) &address)->sin6_port);
    }
    return -EAFNOSUPPORT;
}

static jint set_option(int fd, int level, int option) {
    int one = 1;
    return setsockopt(fd, level, option, &one, sizeof one) == 0 ? 0 : -errno;
}

static jint set_reuse_address(JNIEnv *env, jclass cls, jint fd) {
    return set_option(fd, SOL_SOCKET, SO_REUSEADDR);
}

/* SO_RCVTIMEO: a blocking receive on this socket gives up with EAGAIN after {@code micros}. */
static jint set_receive_timeout(JNIEnv *env, jclass cls, jint fd, jint micros) {
    struct timeval limit = {.tv_sec = micros / 1000000, .tv_usec = micros % 1000000};
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) == 0 ? 0 : -errno;
}

static jint set_tcp_no_delay(JNIEnv *env, jclass cls, jint fd) {
    return set_option(fd, IPPROTO_TCP, TCP_NODELAY);
}

/* How a connect that was in progress ended (SO_ERROR): 0 if connected, else -errno. */
static jint connect_outcome(JNIEnv *env, jclass cls, jint fd) {
    int error = 0;
    socklen_t size = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
        return -errno;
    }
    return -error;
}

/*
 * The credentials of the peer of a connected AF_UNIX socket (SO_PEERCRED), as the kernel recorded
 * them at connect(): out[0] = pid, out[1] = uid, out[2] = gid. Returns 0 or -errno.
 */
static jint peer_credentials(JNIEnv *env, jclass cls, jint fd, jintArray out) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
        return -errno;
    }
    jint values[3] = {(jint) credentials.pid, (jint) credentials.uid, (jint) credentials.gid};
    (*env)->SetIntArrayRegion(env, out, 0, 3, values);
    return 0;
}

int mp4j_register_socket_endpoints(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"socket0", "(I)I", (void *) socket_wrapper},
        {"bindUnix0", "(I[BZ)I", (void *) bind_unix},
        {"bindInet0", "(I[BII)I", (void *) bind_inet},
        {"listen0", "(II)I", (void *) listen_wrapper},
        {"accept0", "(I)I", (void *) accept_wrapper},
        {"connectUnix0", "(I[BZ)I", (void *) connect_unix},
        {"connectInet0", "(I[BII)I", (void *) connect_inet},
        {"connectOutcome0", "(I)I", (void *) connect_outcome},
        {"localPort0", "(I)I", (void *) local_port},
        {"setReuseAddress0", "(I)I", (void *) set_reuse_address},
        {"setTcpNoDelay0", "(I)I", (void *) set_tcp_no_delay},
        {"setReceiveTimeout0", "(II)I", (void *) set_receive_timeout},
        {"peerCredentials0", "(I[I)I", (void *) peer_credentials},
    };
    return mp4j_register(env, MP4J_PACKAGE "SocketEndpoints", methods, MP4J_ARRAY_LENGTH(methods));
}
