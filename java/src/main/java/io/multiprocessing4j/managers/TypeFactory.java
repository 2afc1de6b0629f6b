package io.multiprocessing4j.managers;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Makes an object of a registered type in a manager's server (the callable of Python's
 * {@code BaseManager.register(typeid, callable)}). It travels to the server, so it is a
 * serializable lambda or method reference, such as {@code Counter::new}; arguments are captured.
 */
@FunctionalInterface
public interface TypeFactory<T> extends Supplier<T>, Serializable {
    /** A new object, made in the server. */
    @Override
    T get();
}
