/*
 * Sockets: socketpairs, shutdown, and the two bulk calls behind a Connection: send a whole run of
 * bytes (a framed message) with one JNI crossing, and receive into a Java array with the fds that
 * arrive beside the bytes (SCM_RIGHTS).
 *
 * Everything is created SOCK_CLOEXEC; received fds are MSG_CMSG_CLOEXEC. Writes to sockets use
 * MSG_NOSIGNAL, so a dead peer is an EPIPE result, never a SIGPIPE. The same two calls serve pipes
 * (write/read instead of sendmsg/recvmsg, and no fds), so that a Connection has one code path; a
 * pipe's "don't wait" is RWF_NOWAIT where the kernel honours it (pipe_nowait below).
 */
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "common.h"
#include "kernel_features.h"
#include "mp4j.h"

/* Bytes moved per system call; also the size of the bounce buffer on the calling thread's stack. */
#define RUN_CHUNK 65536
/* SCM_MAX_FD: the kernel's limit of fds per message, and so per recvmsg. */
#define MAX_PASSED_FDS 253
/* The most one call copies while a Java array is pinned: a GC waits for at most this much memcpy. */
#define PINNED_CHUNK (256 * 1024)

typedef union {
    char bytes[CMSG_SPACE(sizeof(int) * MAX_PASSED_FDS)];
    struct cmsghdr align;
} fd_control;

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
    char stack[RUN_CHUNK];
    size_t count = (size_t) length < sizeof stack ? (size_t) length : sizeof stack;
    (*env)->GetByteArrayRegion(env, array, offset, (jsize) count, (jbyte *) stack);
    ssize_t n;
    do {
        n = send(fd, stack, count, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n >= 0 ? (jint) n : -errno;
}

/*
 * Copies at most capacity bytes of the run "head[0, head_length) then body[offset, offset+length)",
 * starting at position at of the run, into out. Returns the number copied.
 */
static size_t gather(JNIEnv *env, jbyteArray head, jint head_length, jbyteArray body, jint offset,
                     jint length, size_t at, char *out, size_t capacity) {
    size_t copied = 0;
    if (at < (size_t) head_length) {
        size_t count = (size_t) head_length - at;
        if (count > capacity) {
            count = capacity;
        }
        (*env)->GetByteArrayRegion(env, head, (jsize) at, (jsize) count, (jbyte *) out);
        copied = count;
        at += count;
    }
    if (copied < capacity && length > 0) {
        size_t body_at = at - (size_t) head_length;
        size_t count = (size_t) length - body_at;
        if (count > capacity - copied) {
            count = capacity - copied;
        }
        (*env)->GetByteArrayRegion(env, body, offset + (jsize) body_at, (jsize) count, (jbyte *) out + copied);
        copied += count;
    }
    return copied;
}

/*
 * One read or write on a pipe that never blocks (-1 with EAGAIN where it would), the pipe's
 * MSG_DONTWAIT: preadv2/pwritev2 with RWF_NOWAIT where the kernel's pipes honour it (raw
 * syscalls: glibc has the wrappers only from 2.26). Elsewhere, a zero-timeout poll and then a read,
 * or a write of at most PIPE_BUF bytes, which a pipe with room takes whole; only a reader or writer
 * in another process that drains or fills the pipe between the two can then make the call wait.
 */
static ssize_t pipe_nowait(int fd, char *data, size_t count, int writing) {
#ifdef SYS_preadv2
    if (mp4j_kernel_feature(MP4J_FEATURE_PIPE_NOWAIT)) {
        struct iovec iov = {.iov_base = data, .iov_len = count};
        return (ssize_t) syscall(writing ? SYS_pwritev2 : SYS_preadv2, fd, &iov, 1, -1L, -1L, MP4J_RWF_NOWAIT);
    }
#endif
    struct pollfd polled = {.fd = fd, .events = writing ? POLLOUT : POLLIN};
    int ready = poll(&polled, 1, 0);
    if (ready <= 0) {
        if (ready == 0) {
            errno = EAGAIN;
        }
        return -1;
    }
    return writing ? write(fd, data, count < PIPE_BUF ? count : PIPE_BUF) : read(fd, data, count);
}

/* One sendmsg (sockets, with fds attached when fd_count > 0) or write (pipes); flags add to MSG_NOSIGNAL. */
static ssize_t send_once(int fd, int is_socket, char *data, size_t count, const int *fds, int fd_count, int flags) {
    if (!is_socket) {
        return (flags & MSG_DONTWAIT) ? pipe_nowait(fd, data, count, 1) : write(fd, data, count);
    }
    struct iovec iov = {.iov_base = data, .iov_len = count};
    struct msghdr message = {.msg_iov = &iov, .msg_iovlen = 1};
    fd_control control;
    if (fd_count > 0) {
        memset(&control, 0, sizeof control);
        message.msg_control = control.bytes;
        message.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t) fd_count);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int) * (size_t) fd_count);
        memcpy(CMSG_DATA(header), fds, sizeof(int) * (size_t) fd_count);
    }
    return sendmsg(fd, &message, MSG_NOSIGNAL | flags);
}

/*
 * Sends the run head[0, head_length) + body[offset, offset+length) as consecutive bytes, blocking
 * until all of it is with the kernel; fds (null or empty for none) ride with its first byte. With
 * dont_wait it stops instead where the socket or pipe is full. Returns the bytes sent (all
 * of them unless dont_wait stopped it), or -errno (after which part of the run may have been
 * sent). Java checks bounds.
 */
static jlong send_run(JNIEnv *env, jclass cls, jint fd, jboolean is_socket, jbyteArray head, jint head_length,
                      jbyteArray body, jint offset, jint length, jintArray fds, jboolean dont_wait) {
    char chunk[RUN_CHUNK];
    int passed[MAX_PASSED_FDS];
    int fd_count = fds == NULL ? 0 : (*env)->GetArrayLength(env, fds);
    if (fd_count > MAX_PASSED_FDS || (fd_count > 0 && !is_socket)) {
        return -EINVAL;
    }
    if (fd_count > 0) {
        (*env)->GetIntArrayRegion(env, fds, 0, fd_count, (jint *) passed);
    }
    size_t total = (size_t) head_length + (size_t) length;
    size_t sent = 0;
    while (sent < total) {
        size_t count = gather(env, head, head_length, body, offset, length, sent, chunk, sizeof chunk);
        if ((*env)->ExceptionCheck(env)) {
            return -EINVAL;
        }
        ssize_t n;
        do {
            n = send_once(fd, is_socket, chunk, count, passed, fd_count, dont_wait ? MSG_DONTWAIT : 0);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            if (dont_wait && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                return (jlong) sent;
            }
            return -errno;
        }
        fd_count = 0; /* the kernel attached them to the bytes just sent */
        sent += (size_t) n;
    }
    return (jlong) sent;
}

/* Appends the fds of every SCM_RIGHTS header to fds[*count..]; returns -1 if the kernel truncated. */
static int collect_fds(struct msghdr *message, int *fds, int *count) {
    for (struct cmsghdr *header = CMSG_FIRSTHDR(message); header != NULL;
         header = CMSG_NXTHDR(message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
            continue;
        }
        int arrived = (int) ((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *data = (int *) CMSG_DATA(header);
        for (int i = 0; i < arrived; i++) {
            if (*count < MAX_PASSED_FDS) {
                fds[(*count)++] = data[i];
            } else {
                close(data[i]); /* cannot happen with one message per recvmsg; never leak */
            }
        }
    }
    return (message->msg_flags & MSG_CTRUNC) ? -1 : 0;
}

/*
 * Receives into array[offset, offset+length): reads until at least minimum bytes have arrived, the
 * peer closed (EOF), or a batch of fds came with the bytes; never more than length. Received fds
 * go to fds_out[1..] with their count in fds_out[0] (-1 - count if the kernel had to drop some);
 * fds_out must hold 1 + 253 ints. Returns the bytes read (fewer than minimum at EOF or after fds),
 * or -errno when the first read failed. An error after some bytes ends the call early; the next
 * call reports it. With dont_wait no read blocks; on a socket with SO_RCVTIMEO a
 * blocking read gives up at that limit. Either way the call then returns what it has, or -EAGAIN.
 */
static jint receive(JNIEnv *env, jclass cls, jint fd, jboolean is_socket, jbyteArray array, jint offset,
                    jint length, jint minimum, jintArray fds_out, jboolean dont_wait) {
    char chunk[RUN_CHUNK];
    int fds[MAX_PASSED_FDS];
    int fd_count = 0;
    int truncated = 0;
    jint got = 0;
    while (got < length) {
        size_t wanted = (size_t) (length - got) < sizeof chunk ? (size_t) (length - got) : sizeof chunk;
        ssize_t n;
        if (is_socket) {
            fd_control control;
            struct iovec iov = {.iov_base = chunk, .iov_len = wanted};
            struct msghdr message = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes, .msg_controllen = sizeof control};
            do {
                n = recvmsg(fd, &message, MSG_CMSG_CLOEXEC | (dont_wait ? MSG_DONTWAIT : 0));
            } while (n < 0 && errno == EINTR);
            if (n >= 0 && message.msg_controllen > 0 && collect_fds(&message, fds, &fd_count) != 0) {
                truncated = 1;
            }
        } else {
            do {
                n = dont_wait ? pipe_nowait(fd, chunk, wanted, 0) : read(fd, chunk, wanted);
            } while (n < 0 && errno == EINTR);
        }
        if (n < 0) {
            if (got == 0 && fd_count == 0) {
                return -errno;
            }
            break;
        }
        if (n == 0) {
            break;
        }
        (*env)->SetByteArrayRegion(env, array, offset + got, (jsize) n, (jbyte *) chunk);
        got += (jint) n;
        if (got >= minimum || fd_count > 0) {
            break;
        }
    }
    jint header = truncated ? -1 - fd_count : fd_count;
    (*env)->SetIntArrayRegion(env, fds_out, 0, 1, &header);
    if (fd_count > 0) {
        (*env)->SetIntArrayRegion(env, fds_out, 1, fd_count, (jint *) fds);
    }
    return got;
}

/*
 * Large payloads on sockets, without the bounce buffer: the kernel copies straight from and into
 * the Java array. The array is pinned (GetPrimitiveArrayCritical) only around one non-blocking
 * call that moves at most PINNED_CHUNK bytes; when the socket is not ready, the thread waits in
 * poll() with the array released. No fds travel this way (a stray fd that a peer attached to these
 * bytes is closed by the kernel, since no control buffer is given).
 *
 * send_pinned: sends head[0, head_length) then body[offset, offset+length), all of it, or with
 * dont_wait up to where the socket is full (the caller waits its own way: a virtual thread must not
 * wait here, holding its carrier); returns the bytes sent or -errno.
 */
static jlong send_pinned(JNIEnv *env, jclass cls, jint fd, jbyteArray head, jint head_length, jbyteArray body,
                         jint offset, jint length, jboolean dont_wait) {
    char header[64];
    if (head_length < 0 || (size_t) head_length > sizeof header) {
        return -EINVAL;
    }
    if (head_length > 0) {
        (*env)->GetByteArrayRegion(env, head, 0, head_length, (jbyte *) header);
    }
    size_t header_sent = 0;
    size_t body_sent = 0;
    while (header_sent < (size_t) head_length || body_sent < (size_t) length) {
        size_t chunk = (size_t) length - body_sent;
        if (chunk > PINNED_CHUNK) {
            chunk = PINNED_CHUNK;
        }
        jbyte *base = (*env)->GetPrimitiveArrayCritical(env, body, NULL);
        if (base == NULL) {
            return -ENOMEM;
        }
        struct iovec parts[2] = {
            {.iov_base = header + header_sent, .iov_len = (size_t) head_length - header_sent},
            {.iov_base = base + offset + body_sent, .iov_len = chunk},
        };
        struct msghdr message = {.msg_iov = header_sent < (size_t) head_length ? parts : parts + 1,
                                 .msg_iovlen = header_sent < (size_t) head_length ? 2 : 1};
        ssize_t n = sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        int error = errno;
        (*env)->ReleasePrimitiveArrayCritical(env, body, base, JNI_ABORT);
        if (n < 0) {
            if (error == EAGAIN || error == EWOULDBLOCK) {
                if (dont_wait) {
                    return (jlong) header_sent + (jlong) body_sent;
                }
                int rc = mp4j_await_ready(fd, POLLOUT);
                if (rc < 0) {
                    return rc;
                }
            } else if (error != EINTR) {
                return -error;
            }
            continue;
        }
        size_t sent = (size_t) n;
        size_t from_header = (size_t) head_length - header_sent;
        if (from_header > sent) {
            from_header = sent;
        }
        header_sent += from_header;
        body_sent += sent - from_header;
    }
    return (jlong) header_sent + (jlong) body_sent;
}

/*
 * receive_pinned: receives up to length bytes into array[offset, offset+length) without waiting:
 * returns the bytes received as soon as the socket has no more (fewer at EOF), -EAGAIN if it had
 * none, or -errno if an error came first. The caller waits for more its own way (a virtual thread
 * must not wait here, holding its carrier).
 */
static jint receive_pinned(JNIEnv *env, jclass cls, jint fd, jbyteArray array, jint offset, jint length) {
    jint got = 0;
    while (got < length) {
        size_t chunk = (size_t) (length - got);
        if (chunk > PINNED_CHUNK) {
            chunk = PINNED_CHUNK;
        }
        jbyte *base = (*env)->GetPrimitiveArrayCritical(env, array, NULL);
        if (base == NULL) {
            return got > 0 ? got : -ENOMEM;
        }
        ssize_t n = recv(fd, base + offset + got, chunk, MSG_DONTWAIT);
        int error = errno;
        (*env)->ReleasePrimitiveArrayCritical(env, array, base, 0);
        if (n > 0) {
            got += (jint) n;
        } else if (n == 0) {
            break;
        } else if (error == EAGAIN || error == EWOULDBLOCK) {
            return got > 0 ? got : -EAGAIN; /* the caller waits, as its thread should */
        } else if (error != EINTR) {
            return got > 0 ? got : -error;
        }
    }
    return got;
}

int mp4j_register_sockets(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"socketpair0", "([I)I", (void *) socketpair_wrapper},
        {"shutdown0", "(II)I", (void *) shutdown_wrapper},
        {"send0", "(I[BII)I", (void *) send_array},
        {"sendRun0", "(IZ[BI[BII[IZ)J", (void *) send_run},
        {"receive0", "(IZ[BIII[IZ)I", (void *) receive},
        {"sendPinned0", "(I[BI[BIIZ)J", (void *) send_pinned},
        {"receivePinned0", "(I[BII)I", (void *) receive_pinned},
    };
    return mp4j_register(env, MP4J_PACKAGE "Sockets", methods, MP4J_ARRAY_LENGTH(methods));
}
