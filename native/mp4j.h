/*
 * Shared declarations of the native layer.
 *
 * Conventions (see DESIGN.md): every wrapper does one syscall-shaped thing, returns a value >= 0
 * on success and -errno on failure, and owns no policy. Java turns a negative result into a
 * SystemCallException naming the call. "Would block" and "timed out" are ordinary results.
 */
#ifndef MP4J_H
#define MP4J_H

#include <jni.h>
#include <errno.h>
#include <stdint.h>

#define MP4J_ARRAY_LENGTH(a) ((int) (sizeof(a) / sizeof((a)[0])))
#define MP4J_PACKAGE "io/multiprocessing4j/internal/nativ/"

/* Registers methods on the named binding class; returns 0, or -1 with a Java exception pending. */
int mp4j_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int count);

/*
 * One registration function per C file, named after it; each file binds the natives of exactly one
 * Java peer class in internal.nativ, whose name is the file's in CamelCase (file_descriptors.c:
 * FileDescriptors). native_library.c is the half of NativeLibrary that runs at load; spawn_child.c
 * is the part of spawn.c that runs in the child and has no natives of its own.
 */
int mp4j_register_errors(JNIEnv *env);
int mp4j_register_spawn(JNIEnv *env);
int mp4j_register_process_calls(JNIEnv *env);
int mp4j_register_event_poll(JNIEnv *env);
int mp4j_register_file_descriptors(JNIEnv *env);
int mp4j_register_sockets(JNIEnv *env);
int mp4j_register_socket_endpoints(JNIEnv *env);
int mp4j_register_system_info(JNIEnv *env);
int mp4j_register_shared_memory_calls(JNIEnv *env);
int mp4j_register_futex(JNIEnv *env);
int mp4j_register_posix_semaphores(JNIEnv *env);
int mp4j_register_signals(JNIEnv *env);
int mp4j_register_kernel_features(JNIEnv *env);
int mp4j_register_reaping(JNIEnv *env);
int mp4j_register_thread_priorities(JNIEnv *env);
int mp4j_register_thread_affinity(JNIEnv *env);
int mp4j_register_process_exit(JNIEnv *env);
int mp4j_register_memory_holder(JNIEnv *env);
int mp4j_register_method_calls(JNIEnv *env);

/* Copies a Java byte[] into a freshly allocated NUL-terminated C string (NULL on OOM). */
char *mp4j_copy_bytes_as_cstring(JNIEnv *env, jbyteArray bytes);

/*
 * The address of buffer[offset .. offset+size) inside a direct ByteBuffer (mapped shared memory),
 * or NULL when it is not inside the buffer or not aligned to `alignment` bytes: a word outside the
 * buffer or misaligned is refused rather than touched.
 */
static inline void *mp4j_buffer_word(JNIEnv *env, jobject buffer, jint offset, jint size, jint alignment) {
    char *base = (*env)->GetDirectBufferAddress(env, buffer);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, buffer);
    if (base == NULL || offset < 0 || (jlong) offset + size > capacity) {
        return NULL;
    }
    char *word = base + offset;
    return ((uintptr_t) word % (uintptr_t) alignment) == 0 ? word : NULL;
}

#endif
