package io.multiprocessing4j.internal.manager;

/** A manager's {@code Semaphore} or {@code BoundedSemaphore} (bound &gt; 0): units anyone may take and give back. */
final class ServerSemaphore implements ServerObject {
    private final int bound;
    private int value;

    ServerSemaphore(int value, boolean bounded) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0: " + value);
        }
        this.value = value;
        this.bound = bounded ? value : -1;
    }

    @Override
    public synchronized Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "acquire": {
                long deadline = Waits.deadlineOf(args);
                while (value == 0) {
                    if (!Waits.waitUntil(this, deadline, caller)) {
                        return Pending.NOT_YET;
                    }
                }
                value--;
                return Boolean.TRUE;
            }
            case "release":
                if (bound >= 0 && value >= bound) {
                    throw new IllegalStateException("semaphore or lock released too many times");
                }
                value++;
                notify();
                return null;
            case "getValue": return value;
            case "toString": return (bound >= 0 ? "BoundedSemaphore" : "Semaphore") + "[value=" + value + "]";
            default: throw SharedKind.unknown(operation);
        }
    }
}
