/*
 * Smoke test of the native library without a JVM: loads libmultiprocessing4j.so, runs its
 * JNI_OnLoad against a minimal stand-in for the JNI environment (just the functions the exercised
 * entry points call), then through the library's own registered functions spawns children,
 * signals one and reaps them, checking exit statuses and that an inheritable fd did not leak, and
 * checks glibc's semaphore layout as SemaphoreWord.java relies on it (the layout its Java fast
 * path and its count of kernel sleepers assume, which a JVM probes only on the machine it runs on).
 * Built for every architecture the jar carries; the aarch64 build runs under qemu-aarch64.
 *
 *   mp4j-smoke <path to libmultiprocessing4j.so>     exit status 0 and "smoke: ok" on success
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <jni.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Java arrays and strings, as this stand-in represents them. */
struct array {
    jsize length;
    size_t element_size;
    void *data;
};

struct registered {
    char class_name[128];
    char method[64];
    char signature[64];
    void *function;
};

static struct registered natives[256];
static int native_count;

static void fail(const char *what) {
    fprintf(stderr, "smoke: FAILED: %s\n", what);
    exit(1);
}

static void *lookup(const char *class_name, const char *method) {
    for (int i = 0; i < native_count; i++) {
        const char *dot = strrchr(natives[i].class_name, '.');
        if (strcmp(dot != NULL ? dot + 1 : natives[i].class_name, class_name) == 0
                && strcmp(natives[i].method, method) == 0) {
            return natives[i].function;
        }
    }
    fprintf(stderr, "smoke: FAILED: %s.%s was not registered\n", class_name, method);
    exit(1);
}

static struct array *new_array(jsize length, size_t element_size, const void *data) {
    struct array *a = calloc(1, sizeof *a);
    a->length = length;
    a->element_size = element_size;
    a->data = calloc((size_t) (length > 0 ? length : 1), element_size);
    if (data != NULL) {
        memcpy(a->data, data, (size_t) length * element_size);
    }
    return a;
}

/* A direct ByteBuffer, as this stand-in represents it. */
struct direct_buffer {
    void *address;
    jlong capacity;
};

static jbyteArray bytes_of(const char *text) {
    return (jbyteArray) new_array((jsize) strlen(text), 1, text);
}

/* ---- the JNI functions the library calls ---- */

static jclass JNICALL find_class(JNIEnv *env, const char *name) {
    return (jclass) strdup(name);
}
static jmethodID JNICALL get_method_id(JNIEnv *env, jclass cls, const char *name, const char *sig) {
    return (jmethodID) 1;
}
static jobject JNICALL call_object_method(JNIEnv *env, jobject object, jmethodID method, ...) {
    return (jobject) "class loader";
}
/* Class.forName(name, false, loader): the class is its (binary) name here. */
static jobject JNICALL call_static_object_method(JNIEnv *env, jclass cls, jmethodID method, ...) {
    va_list args;
    va_start(args, method);
    jstring name = va_arg(args, jstring);
    va_end(args);
    return (jobject) strdup((const char *) name);
}
static jstring JNICALL new_string_utf(JNIEnv *env, const char *text) {
    return (jstring) strdup(text);
}
static jboolean JNICALL exception_check(JNIEnv *env) {
    return JNI_FALSE;
}
static void JNICALL delete_local_ref(JNIEnv *env, jobject object) {
}
static jint JNICALL register_natives(JNIEnv *env, jclass cls, const JNINativeMethod *methods, jint count) {
    for (jint i = 0; i < count; i++) {
        if (native_count == (int) (sizeof natives / sizeof natives[0])) {
            fail("too many natives");
        }
        struct registered *r = &natives[native_count++];
        snprintf(r->class_name, sizeof r->class_name, "%s", (const char *) cls);
        snprintf(r->method, sizeof r->method, "%s", methods[i].name);
        snprintf(r->signature, sizeof r->signature, "%s", methods[i].signature);
        r->function = methods[i].fnPtr;
    }
    return JNI_OK;
}
static jsize JNICALL get_array_length(JNIEnv *env, jarray array) {
    return ((struct array *) array)->length;
}
static jobject JNICALL get_object_array_element(JNIEnv *env, jobjectArray array, jsize index) {
    return ((jobject *) ((struct array *) array)->data)[index];
}
static void copy_out(jarray array, jsize start, jsize length, void *to) {
    struct array *a = (struct array *) array;
    memcpy(to, (char *) a->data + (size_t) start * a->element_size, (size_t) length * a->element_size);
}
static void copy_in(jarray array, jsize start, jsize length, const void *from) {
    struct array *a = (struct array *) array;
    memcpy((char *) a->data + (size_t) start * a->element_size, from, (size_t) length * a->element_size);
}
static void JNICALL get_byte_region(JNIEnv *env, jbyteArray a, jsize s, jsize l, jbyte *to) {
    copy_out(a, s, l, to);
}
static void JNICALL get_int_region(JNIEnv *env, jintArray a, jsize s, jsize l, jint *to) {
    copy_out(a, s, l, to);
}
static void JNICALL set_int_region(JNIEnv *env, jintArray a, jsize s, jsize l, const jint *from) {
    copy_in(a, s, l, from);
}

static void *JNICALL get_direct_buffer_address(JNIEnv *env, jobject buffer) {
    return ((struct direct_buffer *) buffer)->address;
}
static jlong JNICALL get_direct_buffer_capacity(JNIEnv *env, jobject buffer) {
    return ((struct direct_buffer *) buffer)->capacity;
}

static struct JNINativeInterface_ functions;
static JNIEnv env_value = &functions;

static jint JNICALL get_env(JavaVM *vm, void **env, jint version) {
    *env = &env_value;
    return JNI_OK;
}
static struct JNIInvokeInterface_ invoke_functions;
static JavaVM vm_value = &invoke_functions;

static void init_environment(void) {
    functions.FindClass = find_class;
    functions.GetMethodID = get_method_id;
    functions.GetStaticMethodID = get_method_id;
    functions.CallObjectMethod = call_object_method;
    functions.CallStaticObjectMethod = call_static_object_method;
    functions.NewStringUTF = new_string_utf;
    functions.ExceptionCheck = exception_check;
    functions.DeleteLocalRef = delete_local_ref;
    functions.RegisterNatives = register_natives;
    functions.GetArrayLength = get_array_length;
    functions.GetObjectArrayElement = get_object_array_element;
    functions.GetByteArrayRegion = get_byte_region;
    functions.GetIntArrayRegion = get_int_region;
    functions.SetIntArrayRegion = set_int_region;
    functions.GetDirectBufferAddress = get_direct_buffer_address;
    functions.GetDirectBufferCapacity = get_direct_buffer_capacity;
    invoke_functions.GetEnv = get_env;
}

/* ---- the library's entry points, as Spawn.java and ProcessCalls.java declare them ---- */

typedef jint (*spawn_fn)(JNIEnv *, jclass, jbyteArray, jobjectArray, jobjectArray, jintArray, jint, jint, jintArray);
typedef jint (*send_signal_fn)(JNIEnv *, jclass, jint, jint);
typedef jint (*waitid_fn)(JNIEnv *, jclass, jint, jboolean, jintArray);
typedef jint (*features_fn)(JNIEnv *, jclass);
typedef jint (*sem_size_fn)(JNIEnv *, jclass);
typedef jint (*sem_init_fn)(JNIEnv *, jclass, jobject, jint, jint);
typedef jint (*sem_op_fn)(JNIEnv *, jclass, jobject, jint);

/*
 * Starts /bin/sh -c script with stdin /dev/null, our stdout and stderr, our environment less
 * MP4J_SMOKE_UNSET, and nice value `nice` (INT_MIN: ours); returns its pidfd.
 */
static int start_shell_at(const char *script, jint nice) {
    jobject argv[3] = {bytes_of("/bin/sh"), bytes_of("-c"), bytes_of(script)};
    jobject unset[1] = {bytes_of("MP4J_SMOKE_UNSET")};
    jint sources[3] = {-1, 1, 2};
    struct array *out = new_array(3, sizeof(jint), NULL);
    spawn_fn spawn = (spawn_fn) lookup("Spawn", "spawn0");
    jint rc = spawn(&env_value, NULL, bytes_of("/bin/sh"), (jobjectArray) new_array(3, sizeof(jobject), argv),
                    (jobjectArray) new_array(1, sizeof(jobject), unset), (jintArray) new_array(3, sizeof(jint), sources), 0, nice, (jintArray) out);
    jint *report = out->data;
    if (rc != 0) {
        fprintf(stderr, "smoke: spawn failed: %s at stage %d\n", strerror(-rc), report[2]);
        fail("spawn");
    }
    if (report[0] <= 0 || report[1] < 0) {
        fail("spawn reported no pid or pidfd");
    }
    return report[1];
}

static int start_shell(const char *script) {
    return start_shell_at(script, INT_MIN);
}

/* Waits for the child behind pidfd; checks how it ended. */
static void expect_end(int pidfd, int code, int status, const char *what) {
    struct array *out = new_array(2, sizeof(jint), NULL);
    waitid_fn wait_for = (waitid_fn) lookup("ProcessCalls", "waitidPidfd0");
    jint rc = wait_for(&env_value, NULL, pidfd, JNI_FALSE, (jintArray) out);
    jint *result = out->data;
    if (rc != 1 || result[0] != code || result[1] != status) {
        fprintf(stderr, "smoke: %s: waitid gave %d, si_code %d, si_status %d; expected si_code %d, si_status %d\n",
                what, rc, result[0], result[1], code, status);
        fail(what);
    }
    close(pidfd);
}

/*
 * glibc's semaphore as SemaphoreWord.java uses it (keep the two in step): 32 bytes; one 64-bit
 * word first, the value in its low half and no waiters in its high half; then the process-shared
 * flag (LLL_SHARED, 128); and bytes 16-19, where Java counts the threads sleeping in the kernel,
 * left alone by sem_init, sem_post and sem_trywait. Java decrements the word itself, which
 * sem_getvalue must then show. Checked through the library's own entry points.
 */
static void check_semaphore_layout(void) {
    const unsigned char untouched = 0x5a;
    const uint32_t untouched_word = 0x5a5a5a5au;
    sem_size_fn size = (sem_size_fn) lookup("PosixSemaphores", "size0");
    sem_init_fn init = (sem_init_fn) lookup("PosixSemaphores", "init0");
    sem_op_fn get_value = (sem_op_fn) lookup("PosixSemaphores", "getValue0");
    sem_op_fn try_wait = (sem_op_fn) lookup("PosixSemaphores", "tryWait0");
    sem_op_fn post = (sem_op_fn) lookup("PosixSemaphores", "post0");
    if (size(&env_value, NULL) != 32) {
        fprintf(stderr, "smoke: sem_t takes %d bytes\n", size(&env_value, NULL));
        fail("semaphore size");
    }
    static _Alignas(8) unsigned char memory[64];
    memset(memory, untouched, sizeof memory);
    struct direct_buffer buffer = {memory, (jlong) sizeof memory};
    jobject probe = (jobject) &buffer;
    uint64_t *word = (uint64_t *) memory;
    uint32_t *sleepers = (uint32_t *) (memory + 16);
    if (init(&env_value, NULL, probe, 0, 3) != 0) {
        fail("sem_init");
    }
    if (*word != 3 || *(uint32_t *) (memory + 8) != 128 || *sleepers != untouched_word) {
        fprintf(stderr, "smoke: after sem_init(3): word 0x%llx, private %u, bytes 16-19 0x%x\n",
                (unsigned long long) *word, *(uint32_t *) (memory + 8), *sleepers);
        fail("semaphore layout after sem_init");
    }
    uint64_t three = 3;
    if (!__atomic_compare_exchange_n(word, &three, 2, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
            || get_value(&env_value, NULL, probe, 0) != 2) {
        fail("sem_getvalue does not see a decrement of the word");
    }
    if (try_wait(&env_value, NULL, probe, 0) != 0 || *word != 1) {
        fail("sem_trywait does not decrement the word");
    }
    if (post(&env_value, NULL, probe, 0) != 0 || *word != 2 || *sleepers != untouched_word) {
        fail("sem_post does not increment the word alone");
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <libmultiprocessing4j.so>\n", argv[0]);
        return 2;
    }
    void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "smoke: dlopen: %s\n", dlerror());
        fail("load");
    }
    jint (*on_load)(JavaVM *, void *) = (jint (*)(JavaVM *, void *)) dlsym(library, "JNI_OnLoad");
    if (on_load == NULL) {
        fail("JNI_OnLoad is not exported");
    }
    init_environment();
    if (on_load(&vm_value, NULL) != JNI_VERSION_1_8) {
        fail("JNI_OnLoad");
    }
    features_fn features = (features_fn) lookup("KernelFeatures", "features0");
    printf("smoke: %d natives registered; kernel features 0x%x\n", native_count, features(&env_value, NULL));

    /* A normal exit, with its code. */
    expect_end(start_shell("exit 7"), CLD_EXITED, 7, "exit code");
    setenv("MP4J_SMOKE_KEPT", "kept", 1);
    setenv("MP4J_SMOKE_UNSET", "unset", 1);
    setenv("MP4J_SMOKE_UNSET_NOT", "kept", 1); /* a longer name with the same start stays */
    expect_end(start_shell("[ \"$MP4J_SMOKE_KEPT\" = kept ] && [ \"$MP4J_SMOKE_UNSET_NOT\" = kept ]"
                           " && [ -z \"${MP4J_SMOKE_UNSET+set}\" ] && exit 0; exit 5"),
               CLD_EXITED, 0, "our environment less the variable unset");

    /* A nicer value than ours, set by the child itself (nice(1) prints the shell's). */
    int nicer = getpriority(PRIO_PROCESS, 0) + 3 > 19 ? 19 : getpriority(PRIO_PROCESS, 0) + 3;
    char nice_script[64];
    snprintf(nice_script, sizeof(nice_script), "[ \"$(nice)\" = %d ] && exit 0; exit 6", nicer);
    expect_end(start_shell_at(nice_script, nicer), CLD_EXITED, 0, "the child's own nice value");

    /* SIGTERM through the pidfd: killed by signal 15. */
    int pidfd = start_shell("exec sleep 30");
    send_signal_fn send_signal = (send_signal_fn) lookup("ProcessCalls", "pidfdSendSignal0");
    if (send_signal(&env_value, NULL, pidfd, SIGTERM) != 0) {
        fail("pidfd_send_signal");
    }
    expect_end(pidfd, CLD_KILLED, SIGTERM, "terminate");

    /* An inheritable fd of ours (no FD_CLOEXEC) must not reach the child: it gets its plan only. */
    int leak = open("/dev/null", O_RDONLY);
    if (leak < 0 || dup2(leak, 40) != 40) {
        fail("open a test fd");
    }
    expect_end(start_shell("[ -e /proc/self/fd/40 ] && exit 3; exit 0"), CLD_EXITED, 0, "fd 40 closed in the child");
    close(40);
    close(leak);

    check_semaphore_layout();

    printf("smoke: ok\n");
    return 0;
}
