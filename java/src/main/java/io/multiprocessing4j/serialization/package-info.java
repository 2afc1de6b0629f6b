/**
 * How objects become bytes on a {@link io.multiprocessing4j.connection.Connection} (Python's
 * {@code multiprocessing.reduction}): the pluggable
 * {@link io.multiprocessing4j.serialization.MessageSerializer}, Java serialization by default.
 */
package io.multiprocessing4j.serialization;
