package io.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A manager's {@code Array}: a fixed number of elements of one type (Python's typecode; here a
 * boxed primitive class or any class). Storing an element of another type fails, as Python's
 * {@code TypeError} does, with a {@link ClassCastException}.
 */
final class ServerArray implements ServerObject {
    private final Class<?> type;
    private final Object[] elements;

    ServerArray(Class<?> type, List<?> initial) {
        this.type = type;
        this.elements = initial.toArray();
        for (Object element : elements) {
            check(element);
        }
    }

    @Override
    public synchronized Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "size": return elements.length;
            case "get": return elements[(Integer) args[0]];
            case "set": {
                int index = (Integer) args[0];
                Object old = elements[index];
                elements[index] = check(args[1]);
                return old;
            }
            case "copy": return new ArrayList<>(Arrays.asList(elements));
            case "hashCode": return Arrays.asList(elements).hashCode();
            case "toString": return "Array(" + type.getSimpleName() + ", " + Arrays.toString(elements) + ")";
            default: throw SharedKind.unknown(operation);
        }
    }

    private Object check(Object element) {
        if (element == null || !type.isInstance(element)) {
            throw new ClassCastException("an array of " + type.getName() + " cannot hold "
                    + (element == null ? "null" : element.getClass().getName() + " " + element));
        }
        return element;
    }
}
