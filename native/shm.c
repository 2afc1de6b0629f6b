/*
 * POSIX shared memory segments: shm_open/shm_unlink, the size of an open segment, and reserving
 * a segment's space up front with posix_fallocate, so that a full /dev/shm is an error at creation
 * rather than a SIGBUS at the first write into a page the filesystem cannot supply.
 *
 * Mappings: mmap of a segment, a direct ByteBuffer over it, munmap, and the replacement of a
 * mapping's pages by private anonymous ones (MAP_FIXED), which drops the mapping's hold on the
 * segment's memory at once while the address range stays readable and writable: a Java buffer that
 * still points there reads zeros instead of faulting. When to do which is decided in Java.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "mp4j.h"

/*
 * shm_open(name, O_RDWR [| O_CREAT | O_EXCL], mode); glibc adds O_NOFOLLOW and O_CLOEXEC.
 * Flags are chosen here, not passed from Java, because their values differ between architectures.
 */
static jint shm_open_wrapper(JNIEnv *env, jclass cls, jbyteArray name_bytes, jboolean create, jint mode) {
    char *name = mp4j_copy_bytes_as_cstring(env, name_bytes);
    if (name == NULL) {
        return -ENOMEM;
    }
    int flags = O_RDWR | (create ? O_CREAT | O_EXCL : 0);
    int fd;
    do {
        fd = shm_open(name, flags, (mode_t) mode);
    } while (fd < 0 && errno == EINTR);
    int saved = errno;
    free(name);
    return fd >= 0 ? fd : -saved;
}

static jint shm_unlink_wrapper(JNIEnv *env, jclass cls, jbyteArray name_bytes) {
    char *name = mp4j_copy_bytes_as_cstring(env, name_bytes);
    if (name == NULL) {
        return -ENOMEM;
    }
    int rc = shm_unlink(name);
    int saved = errno;
    free(name);
    return rc == 0 ? 0 : -saved;
}

/* posix_fallocate reports its error as the return value, not in errno. */
static jint fallocate_wrapper(JNIEnv *env, jclass cls, jint fd, jlong offset, jlong length) {
    int rc;
    do {
        rc = posix_fallocate(fd, (off_t) offset, (off_t) length);
    } while (rc == EINTR);
    return -rc;
}

/* The size of the open file, or -errno. */
static jlong file_size(JNIEnv *env, jclass cls, jint fd) {
    struct stat st;
    return fstat(fd, &st) == 0 ? (jlong) st.st_size : -errno;
}

/* mmap(NULL, size, read/write, MAP_SHARED, fd, 0): the address, or -errno. */
static jlong map_shared(JNIEnv *env, jclass cls, jint fd, jlong size) {
    void *address = mmap(NULL, (size_t) size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return address == MAP_FAILED ? -errno : (jlong) (intptr_t) address;
}

/*
 * Replaces [address, address+size) by private anonymous zero pages that take no memory until
 * written (MAP_NORESERVE): the shared pages are no longer mapped here. 0 or -errno.
 */
static jint detach_mapping(JNIEnv *env, jclass cls, jlong address, jlong size) {
    void *result = mmap((void *) (intptr_t) address, (size_t) size, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    return result == MAP_FAILED ? -errno : 0;
}

/* munmap(address, size): 0 or -errno. */
static jint unmap(JNIEnv *env, jclass cls, jlong address, jlong size) {
    return munmap((void *) (intptr_t) address, (size_t) size) == 0 ? 0 : -errno;
}

/* A direct ByteBuffer over [address, address+size); NULL with an exception pending on failure. */
static jobject direct_buffer(JNIEnv *env, jclass cls, jlong address, jlong size) {
    return (*env)->NewDirectByteBuffer(env, (void *) (intptr_t) address, size);
}

int mp4j_register_shm(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"shmOpen", "([BZI)I", (void *) shm_open_wrapper},
        {"shmUnlink", "([B)I", (void *) shm_unlink_wrapper},
        {"fallocate", "(IJJ)I", (void *) fallocate_wrapper},
        {"fileSize", "(I)J", (void *) file_size},
        {"mapShared", "(IJ)J", (void *) map_shared},
        {"detachMapping", "(JJ)I", (void *) detach_mapping},
        {"unmap", "(JJ)I", (void *) unmap},
        {"directBuffer", "(JJ)Ljava/nio/ByteBuffer;", (void *) direct_buffer},
    };
    return mp4j_register(env, MP4J_PACKAGE "SharedMemoryCalls", methods, MP4J_ARRAY_LENGTH(methods));
}
