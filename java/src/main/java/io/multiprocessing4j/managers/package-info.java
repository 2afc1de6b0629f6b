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
 *       {@link io.multiprocessing4j.managers.ValueProxy}: the proxies, each method one round trip;
 *   <li>{@link io.multiprocessing4j.managers.LockProxy}, {@link io.multiprocessing4j.managers.SemaphoreProxy},
 *       {@link io.multiprocessing4j.managers.ConditionProxy}, {@link io.multiprocessing4j.managers.EventProxy},
 *       {@link io.multiprocessing4j.managers.BarrierProxy}, {@link io.multiprocessing4j.managers.QueueProxy}
 *       (a {@link java.util.concurrent.BlockingQueue}), {@link io.multiprocessing4j.managers.ArrayProxy} and
 *       {@link io.multiprocessing4j.managers.PoolProxy}: Python's {@code SyncManager} types, whose waiting
 *       calls use a connection of the waiting thread's own;
 *   <li>{@link io.multiprocessing4j.managers.Manager.Builder#register}: types of your own, through an
 *       interface, with {@link io.multiprocessing4j.managers.TypeFactory};
 *   <li>{@link io.multiprocessing4j.managers.ManagerProcess}: the server's process.
 * </ul>
 */
package io.multiprocessing4j.managers;
