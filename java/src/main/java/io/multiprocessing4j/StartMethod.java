package io.multiprocessing4j;

/** How a child process comes to life (Python's start methods). */
public enum StartMethod {
    /**
     * A fresh JVM per child, started from the parent's {@code java} binary and class path, as
     * Python's {@code "spawn"}: nothing is inherited but what the target carries.
     */
    SPAWN("spawn");

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
