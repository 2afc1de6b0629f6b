/**
 * The exceptions the library raises: Python's {@code ProcessError}, {@code AuthenticationError},
 * {@code BufferTooShort} and the pool's failures, plus {@link io.multiprocessing4j.errors.SystemCallException}
 * for a system call that failed. They live apart from the packages that raise them so that every
 * package, the library's own machinery included, can use them; this package depends on the JDK only.
 */
package io.multiprocessing4j.errors;
