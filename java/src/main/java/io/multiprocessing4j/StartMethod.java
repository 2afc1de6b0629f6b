package io.multiprocessing4j;

/** How a child process comes to life (Python's start methods). */
public enum StartMethod {
    /**
     * A fresh JVM per child, started from the parent's {@code java} binary and class path, as
     * Python's {@code "spawn"}: nothing is inherited but what the target carries.
     */
    SPAWN("spawn"),

    /**
     * Like {@link #SPAWN}, but spare JVMs are booted ahead of time and wait for a target, so that
     * {@code start()} costs a handoff rather than a JVM boot (closest to Python's
     * {@code "forkserver"} in spirit). Spares are replaced in the background as they are used;
     * unused spares exit when their parent does. A target that carries file descriptors (a captured
     * connection) is started as with {@link #SPAWN}.
     */
    WARM("warm");

    private final String pythonName;

    StartMethod(String pythonName) {
        this.pythonName = pythonName;
    }

    /** The name Python gives this method ({@code "spawn"}). */
    public String pythonName() {
        return pythonName;
    }

    /** The method Python calls {@code name}; {@link IllegalArgumentException} for an unknown one. */
    public static StartMethod forName(String name) {
        for (StartMethod method : values()) {
            if (method.pythonName.equals(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException("cannot find context for '" + name + "'");
    }
}
