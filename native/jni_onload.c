/*
 * The one place every native method is bound. Binding with RegisterNatives (instead of relying on
 * exported Java_* symbol names) makes a signature mismatch fail when the library loads, not at the
 * first call, and keeps the exported symbol table down to JNI_OnLoad.
 */
#include <stdlib.h>
#include <string.h>
#include "mp4j.h"

int mp4j_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int count) {
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls == NULL) {
        return -1; /* NoClassDefFoundError pending */
    }
    jint rc = (*env)->RegisterNatives(env, cls, methods, count);
    (*env)->DeleteLocalRef(env, cls);
    return rc == JNI_OK ? 0 : -1;
}

char *mp4j_copy_bytes_as_cstring(JNIEnv *env, jbyteArray bytes) {
    jsize length = (*env)->GetArrayLength(env, bytes);
    char *copy = malloc((size_t) length + 1);
    if (copy == NULL) {
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, length, (jbyte *) copy);
    copy[length] = '\0';
    return copy;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    int (*const registrations[])(JNIEnv *) = {
        mp4j_register_errors,
        mp4j_register_spawn,
        mp4j_register_process,
        mp4j_register_event_poll,
        mp4j_register_fd,
        mp4j_register_socket,
        mp4j_register_socket_endpoint,
        mp4j_register_sysinfo,
        mp4j_register_shm,
        mp4j_register_futex,
        mp4j_register_sem,
        mp4j_register_signals,
    };
    for (int i = 0; i < MP4J_ARRAY_LENGTH(registrations); i++) {
        if (registrations[i](env) != 0) {
            return JNI_ERR;
        }
    }
    return JNI_VERSION_1_8;
}
