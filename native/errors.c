/* errno → text, for exception messages built in Java. */
#include <string.h>
#include "mp4j.h"

static jstring describe(JNIEnv *env, jclass cls, jint errnum) {
    char buffer[256];
    /* GNU strerror_r returns a pointer that may or may not be into buffer. */
    const char *text = strerror_r(errnum, buffer, sizeof buffer);
    return (*env)->NewStringUTF(env, text);
}

/* The symbolic name ("EAGAIN"), or null where the libc cannot tell (Java then shows the number). */
static jstring name(JNIEnv *env, jclass cls, jint errnum) {
#ifdef HAVE_STRERRORNAME_NP
    const char *text = strerrorname_np(errnum);
    return text == NULL ? NULL : (*env)->NewStringUTF(env, text);
#else
    return NULL;
#endif
}

int mp4j_register_errors(JNIEnv *env) {
    static const JNINativeMethod methods[] = {
        {"describe", "(I)Ljava/lang/String;", (void *) describe},
        {"name", "(I)Ljava/lang/String;", (void *) name},
    };
    return mp4j_register(env, MP4J_PACKAGE "Errors", methods, MP4J_ARRAY_LENGTH(methods));
}
