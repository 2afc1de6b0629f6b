package io.multiprocessing4j.internal.manager;

/**
 * A manager's {@code Value} of one type (Python's typecode): setting a value of another type, or
 * null, fails with a {@link ClassCastException}, as Python's {@code TypeError} does for a ctypes value.
 */
final class ServerTypedValue implements ServerObject {
    private final Class<?> type;
    private Object value;

    ServerTypedValue(Class<?> type, Object initial) {
        this.type = type;
        this.value = check(initial);
    }

    @Override
    public synchronized Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "get": return value;
            case "set": value = check(args[0]); return null;
            case "toString": return "Value(" + type.getSimpleName() + ", " + value + ")";
            default: throw SharedKind.unknown(operation);
        }
    }

    private Object check(Object candidate) {
        if (!type.isInstance(candidate)) {
            throw new ClassCastException("a Value of " + type.getName() + " cannot hold "
                    + (candidate == null ? "null" : candidate.getClass().getName() + " " + candidate));
        }
        return candidate;
    }
}
