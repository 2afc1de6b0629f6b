/**
 * Python's {@code multiprocessing} for Java: child processes running Java code, with
 * cross-process locks, shared memory, connections, queues, pools and managers.
 *
 * <p>Only the API packages are exported; {@code io.multiprocessing4j.internal} and its
 * sub-packages (the JNI bindings and the machinery behind the API) are sealed. On the class path
 * this descriptor is ignored and the same packages are public by convention.
 */
@SuppressWarnings("module") // the cluster module named below is built after this one
module io.multiprocessing4j {
    requires java.management; // JvmCommandLine reads this JVM's options to hand them to children

    exports io.multiprocessing4j;
    exports io.multiprocessing4j.connection;
    exports io.multiprocessing4j.errors;
    exports io.multiprocessing4j.function;
    exports io.multiprocessing4j.managers;
    exports io.multiprocessing4j.pool;
    exports io.multiprocessing4j.queues;
    exports io.multiprocessing4j.serialization;
    exports io.multiprocessing4j.sharedctypes;
    exports io.multiprocessing4j.sharedmemory;
    exports io.multiprocessing4j.synchronize;

    // The cluster module (an automatic module) writes a chunk's values in the same direct form.
    exports io.multiprocessing4j.internal.transfer to io.multiprocessing4j.hazelcast;
}
