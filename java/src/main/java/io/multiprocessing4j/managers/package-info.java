/**
 * Python's {@code multiprocessing.managers}: objects that live in a server process and are used
 * from any process through proxies.
 *
 * <ul>
 *   <li>{@link io.multiprocessing4j.managers.Manager}: starts (or connects to) the server and
 *       creates objects in it;
 *   <li>{@link io.multiprocessing4j.managers.ListProxy} (a {@link java.util.List}),
 *       {@link io.multiprocessing4j.managers.DictProxy} (a {@link java.util.Map}),
 *       {@link io.multiprocessing4j.managers.Namespace} and
 *       {@link io.multiprocessing4j.managers.ValueProxy}: the proxies, each method one round trip.
 * </ul>
 */
package io.multiprocessing4j.managers;
