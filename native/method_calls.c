/*
 * Calling a Java method through JNI: what a child does with its target's implementation method
 * the first times it calls it. Core reflection on JDK 22 and later (Method.invoke) builds a
 * method handle for every method it is first asked to call, and spins two or three classes for
 * it: some 3 ms of a fresh child's life, for a call that takes nanoseconds. JNI calls the method
 * by its id, with no class to spin, whatever its access.
 *
 * The caller (MethodCalls.java) has checked every argument against its parameter's type: a
 * reference of the wrong class must never reach JNI, which would not check it. Here only the
 * unboxing of primitives happens. What the called method throws is left pending, as it is.
 */
#include "mp4j.h"

/* JNI takes at most 255 arguments; a method has at most 255 parameter slots. */
#define MAX_ARGUMENTS 255

/* The unboxing methods, resolved once: java.lang.Number's, Boolean's and Character's. */
static jmethodID number_int_value;
static jmethodID number_long_value;
static jmethodID number_float_value;
static jmethodID number_double_value;
static jmethodID number_byte_value;
static jmethodID number_short_value;
static jmethodID boolean_value;
static jmethodID character_value;

/*
 * kinds holds one JVM type letter per argument (Z B C S I J F D, or L for a reference); returns
 * 0, or -1 with an exception pending.
 */
static int unbox(JNIEnv *env, jobjectArray arguments, const jbyte *kinds, jsize count, jvalue *values) {
    for (jsize i = 0; i < count; i++) {
        jobject argument = (*env)->GetObjectArrayElement(env, arguments, i);
        switch (kinds[i]) {
            case 'Z': values[i].z = (*env)->CallBooleanMethod(env, argument, boolean_value); break;
            case 'C': values[i].c = (*env)->CallCharMethod(env, argument, character_value); break;
            case 'B': values[i].b = (*env)->CallByteMethod(env, argument, number_byte_value); break;
            case 'S': values[i].s = (*env)->CallShortMethod(env, argument, number_short_value); break;
            case 'I': values[i].i = (*env)->CallIntMethod(env, argument, number_int_value); break;
            case 'J': values[i].j = (*env)->CallLongMethod(env, argument, number_long_value); break;
            case 'F': values[i].f = (*env)->CallFloatMethod(env, argument, number_float_value); break;
            case 'D': values[i].d = (*env)->CallDoubleMethod(env, argument, number_double_value); break;
            default: values[i].l = argument; continue; /* a reference: the local ref lives until return */
        }
        (*env)->DeleteLocalRef(env, argument);
        if ((*env)->ExceptionCheck(env)) {
            return -1;
        }
    }
    return 0;
}

/*
 * Calls method (a java.lang.reflect.Method) on receiver, or on owner when static, with arguments;
 * returns what it returns (void: null; the caller calls only methods returning void or a reference).
 */
static jobject call(JNIEnv *env, jclass cls, jobject method, jclass owner, jobject receiver,
                    jobjectArray arguments, jbyteArray kinds, jboolean returns_void) {
    jsize count = (*env)->GetArrayLength(env, arguments);
    if (count > MAX_ARGUMENTS || (*env)->GetArrayLength(env, kinds) != count) {
        (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/IllegalArgumentException"),
            "argument count and kinds disagree, or exceed 255");
        return NULL;
    }
    if ((*env)->EnsureLocalCapacity(env, count + 8) != 0) {
        return NULL;
    }
    jvalue values[MAX_ARGUMENTS];
    jbyte letters[MAX_ARGUMENTS];
    (*env)->GetByteArrayRegion(env, kinds, 0, count, letters);
    if (unbox(env, arguments, letters, count, values) != 0) {
        return NULL;
    }
    jmethodID id = (*env)->FromReflectedMethod(env, method);
    if (id == NULL) {
        return NULL;
    }
    if (receiver == NULL) {
        if (returns_void) {
            (*env)->CallStaticVoidMethodA(env, owner, id, values);
            return NULL;
        }
        return (*env)->CallStaticObjectMethodA(env, owner, id, values);
    }
    if (returns_void) {
        (*env)->CallVoidMethodA(env, receiver, id, values);
        return NULL;
    }
    return (*env)->CallObjectMethodA(env, receiver, id, values);
}

static jmethodID method_of(JNIEnv *env, const char *class_name, const char *name, const char *signature) {
    jclass type = (*env)->FindClass(env, class_name);
    if (type == NULL) {
        return NULL;
    }
    jmethodID id = (*env)->GetMethodID(env, type, name, signature);
    (*env)->DeleteLocalRef(env, type);
    return id;
}

int mp4j_register_method_calls(JNIEnv *env) {
    if ((number_int_value = method_of(env, "java/lang/Number", "intValue", "()I")) == NULL
            || (number_long_value = method_of(env, "java/lang/Number", "longValue", "()J")) == NULL
            || (number_float_value = method_of(env, "java/lang/Number", "floatValue", "()F")) == NULL
            || (number_double_value = method_of(env, "java/lang/Number", "doubleValue", "()D")) == NULL
            || (number_byte_value = method_of(env, "java/lang/Number", "byteValue", "()B")) == NULL
            || (number_short_value = method_of(env, "java/lang/Number", "shortValue", "()S")) == NULL
            || (boolean_value = method_of(env, "java/lang/Boolean", "booleanValue", "()Z")) == NULL
            || (character_value = method_of(env, "java/lang/Character", "charValue", "()C")) == NULL) {
        return -1;
    }
    static const JNINativeMethod methods[] = {
        {"call0", "(Ljava/lang/reflect/Method;Ljava/lang/Class;Ljava/lang/Object;[Ljava/lang/Object;[BZ)Ljava/lang/Object;",
            (void *) call},
    };
    return mp4j_register(env, MP4J_PACKAGE "MethodCalls", methods, MP4J_ARRAY_LENGTH(methods));
}
