/*
 * The one place every native method is bound. Binding with RegisterNatives (instead of relying on
 * exported Java_* symbol names) makes a signature mismatch fail when the library loads, not at the
 * first call, and keeps the exported symbol table down to JNI_OnLoad.
 */
#include <stdlib.h>
#include <string.h>
#include "kernel_features.h"
#include "mp4j.h"

/*
 * How binding classes are looked up while the library loads: Class.forName(name, false, loader),
 * with the loader of NativeLibrary (the class that is loading us, so already initialized).
 * Not FindClass: HotSpot's FindClass initializes the class, and every binding class's static
 * initializer waits for this very load (NativeLibrary.load), so a thread that had begun to
 * initialize one (say FileDescriptors) while another thread loads the library would wait for the
 * loader's lock while the loader waits for its initialization: a deadlock at first use.
 * Valid only during JNI_OnLoad, which runs in one thread.
 */
static jclass class_class;
static jmethodID class_for_name;
static jobject binding_loader;

static int prepare_lookup(JNIEnv *env) {
    class_class = (*env)->FindClass(env, "java/lang/Class");
    jclass anchor = (*env)->FindClass(env, MP4J_PACKAGE "NativeLibrary");
    if (class_class == NULL || anchor == NULL) {
        return -1;
    }
    jmethodID get_loader = (*env)->GetMethodID(env, class_class, "getClassLoader", "()Ljava/lang/ClassLoader;");
    class_for_name = (*env)->GetStaticMethodID(env, class_class, "forName",
                                               "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;");
    if (get_loader == NULL || class_for_name == NULL) {
        return -1;
    }
    binding_loader = (*env)->CallObjectMethod(env, anchor, get_loader);
    (*env)->DeleteLocalRef(env, anchor);
    return (*env)->ExceptionCheck(env) ? -1 : 0;
}

/* The class named "a/b/C", loaded and linked but not initialized; NULL with an exception pending. */
static jclass find_uninitialized(JNIEnv *env, const char *class_name) {
    char binary_name[256];
    size_t length = strlen(class_name);
    if (length >= sizeof binary_name) {
        return NULL;
    }
    for (size_t i = 0; i <= length; i++) {
        binary_name[i] = class_name[i] == '/' ? '.' : class_name[i];
    }
    jstring name = (*env)->NewStringUTF(env, binary_name);
    if (name == NULL) {
        return NULL;
    }
    jclass cls = (jclass) (*env)->CallStaticObjectMethod(env, class_class, class_for_name, name, JNI_FALSE,
                                                         binding_loader);
    (*env)->DeleteLocalRef(env, name);
    return (*env)->ExceptionCheck(env) ? NULL : cls;
}

int mp4j_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int count) {
    jclass cls = find_uninitialized(env, class_name);
    if (cls == NULL) {
        return -1; /* ClassNotFoundException pending */
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
    mp4j_kernel_features_init();
    if (prepare_lookup(env) != 0) {
        return JNI_ERR;
    }
    int (*const registrations[])(JNIEnv *) = {
        mp4j_register_errors,
        mp4j_register_spawn,
        mp4j_register_process_calls,
        mp4j_register_event_poll,
        mp4j_register_file_descriptors,
        mp4j_register_sockets,
        mp4j_register_socket_endpoints,
        mp4j_register_system_info,
        mp4j_register_shared_memory_calls,
        mp4j_register_futex,
        mp4j_register_posix_semaphores,
        mp4j_register_signals,
        mp4j_register_kernel_features,
        mp4j_register_reaping,
        mp4j_register_thread_priorities,
        mp4j_register_thread_affinity,
        mp4j_register_process_exit,
        mp4j_register_memory_holder,
        mp4j_register_method_calls,
    };
    int failed = 0;
    for (int i = 0; i < MP4J_ARRAY_LENGTH(registrations) && !failed; i++) {
        failed = registrations[i](env) != 0;
    }
    (*env)->DeleteLocalRef(env, binding_loader);
    (*env)->DeleteLocalRef(env, class_class);
    binding_loader = NULL;
    class_class = NULL;
    return failed ? JNI_ERR : JNI_VERSION_1_8;
}
