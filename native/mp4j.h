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

#define MP4J_ARRAY_LENGTH(a) ((int) (sizeof(a) / sizeof((a)[0])))
#define MP4J_PACKAGE "io/multiprocessing4j/internal/nativ/"

/* Registers methods on the named binding class; returns 0, or -1 with a Java exception pending. */
int mp4j_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int count);

/* One registration function per native concern, each paired with one Java binding class. */
int mp4j_register_errors(JNIEnv *env);
int mp4j_register_spawn(JNIEnv *env);
int mp4j_register_process(JNIEnv *env);
int mp4j_register_event_poll(JNIEnv *env);
int mp4j_register_fd(JNIEnv *env);
int mp4j_register_socket(JNIEnv *env);
int mp4j_register_socket_endpoint(JNIEnv *env);
int mp4j_register_sysinfo(JNIEnv *env);
int mp4j_register_shm(JNIEnv *env);
int mp4j_register_futex(JNIEnv *env);
int mp4j_register_sem(JNIEnv *env);
int mp4j_register_signals(JNIEnv *env);
int mp4j_register_kernel_features(JNIEnv *env);
int mp4j_register_reap(JNIEnv *env);

/* Copies a Java byte[] into a freshly allocated NUL-terminated C string (NULL on OOM). */
char *mp4j_copy_bytes_as_cstring(JNIEnv *env, jbyteArray bytes);

#endif
