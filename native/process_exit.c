/*
 * Ending this process at once, as Python's forkserver and fork children end (os._exit): used by
 * a warm child once nothing is left to run at exit, where the JVM's own exit sequence would cost
 * milliseconds (it waits in 10 ms steps for threads in native code, compiler threads included);
 * and reading what tells whether that sequence would have anything to do (the JDK's private
 * tables of shutdown hooks and files to delete, the JVM's options).
 */
#include <unistd.h>
#include "mp4j.h"

static void exit_now(JNIEnv *env, jclass cls, jint status) {
    _exit(status);
}

/* The modified UTF-8 forms of a member's name and signature: 0, or -1 with an exception pending. */
static int member_strings(JNIEnv *env, jstring name, jstring signature, const char **c_name,
                          const char **c_signature) {
    *c_name = (*env)->GetStringUTFChars(env, name, NULL);
    if (*c_name == NULL) {
        return -1;
    }
    *c_signature = (*env)->GetStringUTFChars(env, signature, NULL);
    if (*c_signature == NULL) {
        (*env)->ReleaseStringUTFChars(env, name, *c_name);
        return -1;
    }
    return 0;
}

static void release_member_strings(JNIEnv *env, jstring name, jstring signature, const char *c_name,
                                   const char *c_signature) {
    (*env)->ReleaseStringUTFChars(env, signature, c_signature);
    (*env)->ReleaseStringUTFChars(env, name, c_name);
}

/*
 * The value of a static reference field of owner, whatever its access: JNI does not apply the
 * language's access checks. It is how QuickExit reads the JDK's tables of shutdown hooks and
 * delete-on-exit files without --add-opens on the child's command line, an option that costs
 * every boot the JDK's archived module graph (about 11 ms of a 35 ms java Hello here). A field
 * that is not there leaves NoSuchFieldError pending, which Java sees on return.
 */
static jobject static_object_field(JNIEnv *env, jclass cls, jclass owner, jstring name, jstring signature) {
    const char *field_name;
    const char *field_signature;
    if (member_strings(env, name, signature, &field_name, &field_signature) != 0) {
        return NULL;
    }
    jfieldID field = (*env)->GetStaticFieldID(env, owner, field_name, field_signature);
    release_member_strings(env, name, signature, field_name, field_signature);
    return field == NULL ? NULL : (*env)->GetStaticObjectField(env, owner, field);
}

/*
 * What owner's static method name (no arguments, returning a reference) returns, whatever its
 * access and its module's exports: for the JVM's own list of its options, which QuickExit reads
 * through jdk.internal.misc.VM rather than the management API (whose classes would cost a child
 * several ms). A missing method or a throw is left pending for Java.
 */
static jobject static_object_call(JNIEnv *env, jclass cls, jclass owner, jstring name, jstring signature) {
    const char *method_name;
    const char *method_signature;
    if (member_strings(env, name, signature, &method_name, &method_signature) != 0) {
        return NULL;
    }
    jmethodID method = (*env)->GetStaticMethodID(env, owner, method_name, method_signature);
    release_member_strings(env, name, signature, method_name, method_signature);
    return method == NULL ? NULL : (*env)->CallStaticObjectMethod(env, owner, method);
}

int mp4j_register_process_exit(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"exitNow0", "(I)V", (void *) exit_now},
        {"staticObjectField0", "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/Object;",
            (void *) static_object_field},
        {"staticObjectCall0", "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/Object;",
            (void *) static_object_call},
    };
    return mp4j_register(env, MP4J_PACKAGE "ProcessExit", methods, MP4J_ARRAY_LENGTH(methods));
}
