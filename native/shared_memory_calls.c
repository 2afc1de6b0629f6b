/*
 * POSIX shared memory segments: shm_open/shm_unlink (and memfd_create where /dev/shm cannot be
 * used), the size of an open segment, and reserving
 * a segment's space up front with posix_fallocate, so that a full /dev/shm is an error at creation
 * rather than a SIGBUS at the first write into a page the filesystem cannot supply.
 *
 * Mappings: mmap of a segment, a direct ByteBuffer over it, munmap, and the replacement of a
 * mapping's pages by private anonymous ones (MAP_FIXED), which drops the mapping's hold on the
 * segment's memory at once while the address range stays readable and writable: a Java buffer that
 * still points there reads zeros instead of faulting. When to do which is decided in Java.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mp4j.h"
#include "common.h"

/*
 * shm_open and shm_unlink are done here as glibc does them (a file in the tmpfs at /dev/shm),
 * not by calling them: they moved from librt into libc at glibc 2.34 under a new symbol version,
 * and the library must load on glibc 2.17. Doing them here also lets Java name the directory:
 * /dev/shm, or a private one where a container or sandbox has no usable /dev/shm (ShmDirectory).
 */
#define SHM_PATH_MAX (PATH_MAX + NAME_MAX + 2)

/* "<directory>/<name without its leading slash>" into path; -EINVAL for a name glibc would refuse
 * (empty, ".", "..", containing another slash) or -ENAMETOOLONG, as glibc reports them. */
static int shm_path(JNIEnv *env, jbyteArray directory_bytes, jbyteArray name_bytes, char *path, size_t size) {
    char *directory = mp4j_copy_bytes_as_cstring(env, directory_bytes);
    char *name = mp4j_copy_bytes_as_cstring(env, name_bytes);
    int rc = 0;
    if (directory == NULL || name == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    const char *bare = name[0] == '/' ? name + 1 : name;
    size_t length = strlen(bare);
    if (length == 0 || strchr(bare, '/') != NULL || strcmp(bare, ".") == 0 || strcmp(bare, "..") == 0) {
        rc = -EINVAL;
    } else if (length > NAME_MAX || snprintf(path, size, "%s/%s", directory, bare) >= (int) size) {
        rc = -ENAMETOOLONG;
    }
out:
    free(directory);
    free(name);
    return rc;
}

/*
 * shm_open(name, O_RDWR [| O_CREAT | O_EXCL], mode), with the O_NOFOLLOW and O_CLOEXEC glibc adds.
 * Flags are chosen here, not passed from Java, because their values differ between architectures.
 */
static jint shm_open_wrapper(JNIEnv *env, jclass cls, jbyteArray directory_bytes, jbyteArray name_bytes,
                             jboolean create, jint mode) {
    char path[SHM_PATH_MAX];
    int rc = shm_path(env, directory_bytes, name_bytes, path, sizeof path);
    if (rc < 0) {
        return rc;
    }
    int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0);
    int fd;
    do {
        fd = open(path, flags, (mode_t) mode);
    } while (fd < 0 && errno == EINTR);
    return fd >= 0 ? fd : -errno;
}

static jint shm_unlink_wrapper(JNIEnv *env, jclass cls, jbyteArray directory_bytes, jbyteArray name_bytes) {
    char path[SHM_PATH_MAX];
    int rc = shm_path(env, directory_bytes, name_bytes, path, sizeof path);
    if (rc < 0) {
        return rc;
    }
    return unlink(path) == 0 ? 0 : -errno;
}

/* memfd_create(name, MFD_CLOEXEC): an anonymous shared memory file that needs no /dev/shm; fd or -errno. */
static jint memfd_create_wrapper(JNIEnv *env, jclass cls, jbyteArray name_bytes) {
    char *name = mp4j_copy_bytes_as_cstring(env, name_bytes);
    if (name == NULL) {
        return -ENOMEM;
    }
    int fd = (int) syscall(SYS_memfd_create, name, MP4J_MFD_CLOEXEC);
    int error = errno;
    free(name);
    return fd >= 0 ? fd : -error;
}

/* posix_fallocate reports its error as the return value, not in errno. */
static jint fallocate_wrapper(JNIEnv *env, jclass cls, jint fd, jlong offset, jlong length) {
    int rc;
    do {
        rc = posix_fallocate(fd, (off_t) offset, (off_t) length);
    } while (rc == EINTR);
    return -rc;
}

/*
 * The size of the open file, or -errno. Through the statx system call (Linux 4.11) rather than
 * fstat, whose glibc symbol was re-versioned at 2.33; struct statx has one layout on every
 * architecture, unlike struct stat.
 */
static jlong file_size(JNIEnv *env, jclass cls, jint fd) {
    struct statx st;
    memset(&st, 0, sizeof st);
    if (syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_SIZE, &st) != 0) {
        return -errno;
    }
    return (jlong) st.stx_size;
}

/* mmap(NULL, size, read/write, MAP_SHARED, fd, 0): the address, or -errno. */
static jlong map_shared(JNIEnv *env, jclass cls, jint fd, jlong size) {
    void *address = mmap(NULL, (size_t) size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return address == MAP_FAILED ? -errno : (jlong) (intptr_t) address;
}

/*
 * mmap(NULL, size, read/write, MAP_SHARED | MAP_ANONYMOUS): memory no file backs and no Java
 * object owns, shared as a segment's pages are (a process-shared futex word behaves there as in a
 * segment). The address, or -errno.
 */
static jlong map_anonymous_shared(JNIEnv *env, jclass cls, jlong size) {
    void *address = mmap(NULL, (size_t) size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
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

int mp4j_register_shared_memory_calls(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"shmOpen0", "([B[BZI)I", (void *) shm_open_wrapper},
        {"shmUnlink0", "([B[B)I", (void *) shm_unlink_wrapper},
        {"memfdCreate0", "([B)I", (void *) memfd_create_wrapper},
        {"fallocate0", "(IJJ)I", (void *) fallocate_wrapper},
        {"fileSize0", "(I)J", (void *) file_size},
        {"mapShared0", "(IJ)J", (void *) map_shared},
        {"mapAnonymousShared0", "(J)J", (void *) map_anonymous_shared},
        {"detachMapping0", "(JJ)I", (void *) detach_mapping},
        {"unmap0", "(JJ)I", (void *) unmap},
        {"directBuffer0", "(JJ)Ljava/nio/ByteBuffer;", (void *) direct_buffer},
    };
    return mp4j_register(env, MP4J_PACKAGE "SharedMemoryCalls", methods, MP4J_ARRAY_LENGTH(methods));
}
