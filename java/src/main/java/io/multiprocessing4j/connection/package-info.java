/**
 * Python's {@code multiprocessing.connection} and {@code Pipe}: message channels between processes.
 *
 * <ul>
 *   <li>{@link io.multiprocessing4j.connection.Pipe}: two connected ends, duplex (a socketpair)
 *       or one-way (a pipe);
 *   <li>{@link io.multiprocessing4j.connection.Connection}: objects and byte messages, each
 *       delivered whole, framed as CPython frames them;
 *   <li>{@link io.multiprocessing4j.connection.Listener} and
 *       {@link io.multiprocessing4j.connection.Client}: connections between processes that did not
 *       start each other, over a socket file, a Linux abstract name or TCP, authenticated by an
 *       HMAC-SHA256 challenge on a shared authkey;
 *   <li>{@link io.multiprocessing4j.serialization.MessageSerializer}: how objects become bytes (Java
 *       serialization by default, behind an {@link java.io.ObjectInputFilter});
 *   <li>{@link io.multiprocessing4j.connection.DeserializationPolicy}: what a connection may
 *       deserialize (limits everywhere; a class allow-list where strangers can connect).
 * </ul>
 * Waiting for several connections and processes at once is
 * {@link io.multiprocessing4j.Multiprocessing#wait(java.util.Collection, java.time.Duration)}.
 */
package io.multiprocessing4j.connection;
