/*
 * POSIX shared memory segments: shm_open/shm_unlink, the size of an open segment, and reserving
 * a segment's space up front with posix_fallocate, so that a full /dev/shm is an error at creation
 * rather than a SIGBUS at the first write into a page the filesystem cannot supply.
 *
 * Mapping is left to Java (FileChannel.map on the segment): the JDK unmaps only once no buffer can
 * reach the memory, so no Java access can ever touch an unmapped page.
 */
#include <fcntl.h>
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

int mp4j_register_shm(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"shmOpen", "([BZI)I", (void *) shm_open_wrapper},
        {"shmUnlink", "([B)I", (void *) shm_unlink_wrapper},
        {"fallocate", "(IJJ)I", (void *) fallocate_wrapper},
        {"fileSize", "(I)J", (void *) file_size},
    };
    return mp4j_register(env, MP4J_PACKAGE "SharedMemoryCalls", methods, MP4J_ARRAY_LENGTH(methods));
}
