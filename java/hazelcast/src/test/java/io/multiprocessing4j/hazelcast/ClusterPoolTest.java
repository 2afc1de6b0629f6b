package io.multiprocessing4j.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.pool.ProcessPool;
import io.multiprocessing4j.errors.TaskTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster pool on three member JVMs on loopback (one cluster for the class): the same code,
 * written against {@link ProcessPool}, gives the local pool's results; failures carry the member's
 * stack trace; callbacks, the executor view and the task timeout behave as locally; the
 * cluster's queue, map and list are shared by the owner and every member.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterPoolTest {
    private static Cluster cluster;
    private static ClusterPool pool;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.builder().members(3).threadsPerMember(2).build();
        pool = cluster.pool();
    }

    @AfterAll
    static void stopCluster() {
        if (pool != null) {
            pool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static long cube(int number) {
        return (long) number * number * number;
    }

    static int failOnSeven(int number) {
        if (number == 7) {
            throw new IllegalArgumentException("seven is not allowed");
        }
        return number;
    }

    /** Every kind of call, written once against the common interface. */
    private static List<Object> workload(ProcessPool pool) throws Exception {
        List<Integer> numbers = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        List<Object> results = new ArrayList<>();
        results.add(pool.map(ClusterPoolTest::cube, numbers));
        results.add(pool.map(ClusterPoolTest::cube, numbers, 1));
        results.add(pool.map(ClusterPoolTest::cube, numbers, 7));
        List<Long> ordered = new ArrayList<>();
        pool.imap(ClusterPoolTest::cube, numbers, 3).forEach(ordered::add);
        results.add(ordered);
        List<Long> unordered = new ArrayList<>();
        pool.imapUnordered(ClusterPoolTest::cube, numbers).forEach(unordered::add);
        unordered.sort(null);
        results.add(unordered);
        results.add(pool.starmap((Integer a, Integer b) -> a * b, List.of(Map.entry(2, 3), Map.entry(4, 5))));
        results.add(pool.starmap(arguments -> arguments.size(), List.of(List.of(1, 2, 3), List.of(), List.of("x")), 2));
        results.add(pool.apply(() -> cube(50)));
        results.add(pool.apply(ClusterPoolTest::cube, 12));
        results.add(pool.map(ClusterPoolTest::cube, List.of()));
        return results;
    }

    @Test
    void mapImapAndStarmapGiveTheLocalPoolsResults() throws Exception {
        List<Object> onCluster = workload(pool);
        List<Object> local;
        try (Pool localPool = new Pool(2)) {
            local = workload(localPool);
        }
        assertEquals(local, onCluster);
        assertEquals(LongSumCheck.cubes(100), onCluster.get(0));
    }

    static final class LongSumCheck {
        static List<Long> cubes(int n) {
            return IntStream.range(0, n).mapToObj(i -> cube(i)).collect(Collectors.toList());
        }
    }

    @Test
    void membersAreLoopbackChildrenOfThisJvmInAClusterOfItsOwn() {
        for (long pid : cluster.memberPids()) {
            ProcessHandle member = ProcessHandle.of(pid).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), member.parent().orElseThrow().pid());
        }
        assertEquals(3, cluster.members().size());
        for (String address : cluster.members()) {
            assertTrue(address.startsWith("[127.0.0.1]:"), address);
        }
        assertTrue(cluster.hazelcast().getConfig().getClusterName().startsWith("multiprocessing4j-"));
        assertEquals(6, pool.processes());
    }

    @Test
    void anExistingClusterIsReachedByItsNameAndAddresses() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (com.hazelcast.cluster.Member member : cluster.hazelcast().getCluster().getMembers()) {
            addresses.add(member.getAddress().getHost() + ":" + member.getAddress().getPort());
        }
        String name = cluster.hazelcast().getConfig().getClusterName();
        try (Cluster connected = Cluster.connect(name, addresses.toArray(new String[0]));
             ClusterPool other = connected.pool()) {
            assertEquals(3, other.processes()); // one per member: their threads are the cluster's business
            assertEquals(List.of(1L, 8L, 27L), other.map(ClusterPoolTest::cube, List.of(1, 2, 3)));
            assertEquals(List.of(), connected.memberPids());
        }
    }

    @Test
    void tasksRunOnEveryMemberInOtherProcesses() throws Exception {
        List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), IntStream.range(0, 30).boxed()
                .collect(Collectors.toList()), 1);
        Set<Long> distinct = new HashSet<>(pids);
        assertEquals(new HashSet<>(cluster.memberPids()), distinct);
        assertFalse(distinct.contains(ProcessHandle.current().pid()));
    }

    @Test
    void aTaskThrowingOnAMemberFailsWithItsExceptionAndTheMembersStackTrace() throws Exception {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> pool.map(ClusterPoolTest::failOnSeven, List.of(1, 2, 7, 9), 1));
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, failure.getCause());
        assertEquals("seven is not allowed", cause.getMessage());
        String trace = Arrays.toString(cause.getStackTrace());
        assertTrue(trace.contains("failOnSeven"), trace);
        assertTrue(trace.contains("BatchTask"), trace); // thrown there, on the member

        List<Object> seen = new ArrayList<>();
        for (var it = pool.imap(ClusterPoolTest::failOnSeven, List.of(6, 7, 8)); it.hasNext(); ) {
            try {
                seen.add(it.next());
            } catch (CompletionException e) {
                seen.add(e.getCause().getMessage());
            }
        }
        assertEquals(List.of(6, "seven is not allowed", 8), seen);
    }

    static int failOn2500(int number) {
        if (number == 2500) {
            throw new IllegalArgumentException("2500 is not allowed");
        }
        return number;
    }

    @Test
    void shortChunksTravelManyToAHazelcastTaskAndStillAnswerOneByOne() throws Exception {
        List<Integer> numbers = IntStream.range(0, 3000).boxed().collect(Collectors.toList());
        try (ClusterPool fresh = cluster.pool()) {
            assertEquals(numbers.stream().map(x -> x + 1).collect(Collectors.toList()),
                    fresh.map(x -> x + 1, numbers, 1));
            long tasks = fresh.batchesSent();
            assertTrue(tasks < numbers.size() / 4, numbers.size() + " chunks took " + tasks + " Hazelcast tasks");

            // a chunk that throws inside a batch fails alone, in its place
            List<Object> seen = new ArrayList<>();
            for (var it = fresh.imap(ClusterPoolTest::failOn2500, numbers); it.hasNext(); ) {
                try {
                    seen.add(it.next());
                } catch (CompletionException e) {
                    seen.add(e.getCause().getMessage());
                }
            }
            List<Object> expected = new ArrayList<>(numbers);
            expected.set(2500, "2500 is not allowed");
            assertEquals(expected, seen);
        }
    }

    @Test
    void manyCallsOfOneFunctionShareHazelcastTasksAndCancellingSomeLeavesTheOthers() throws Exception {
        try (ClusterPool fresh = cluster.pool()) {
            assertEquals(1L, (long) fresh.apply(ClusterPoolTest::cube, 1)); // now the function is known short
            int calls = 3000;
            List<ProcessPool.Result<Long>> results = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                results.add(fresh.applyAsync(ClusterPoolTest::cube, i));
            }
            // some of these wait, some ride in a Hazelcast task with other calls: those run on
            Set<Integer> cancelled = new HashSet<>();
            for (int i = 50; i < calls; i += 100) {
                if (results.get(i).cancel(true)) {
                    cancelled.add(i);
                }
            }
            for (int i = 0; i < calls; i++) {
                if (cancelled.contains(i)) {
                    assertTrue(results.get(i).isCancelled());
                } else {
                    assertEquals(cube(i), (long) results.get(i).get(Duration.ofSeconds(60)), "call " + i);
                }
            }
            assertTrue(fresh.batchesSent() < calls / 2, calls + " calls took " + fresh.batchesSent() + " Hazelcast tasks");
        }
    }

    @Test
    void aCancelledMapSendsNothingMoreAndThePoolServesOn() throws Exception {
        List<Integer> many = IntStream.range(0, 50_000).boxed().collect(Collectors.toList());
        try (ClusterPool fresh = cluster.pool()) {
            ProcessPool.Result<List<Integer>> running = fresh.mapAsync(x -> {
                Thread.sleep(1);
                return x;
            }, many, 1);
            Thread.sleep(300);
            assertTrue(running.cancel(true));
            long sent = fresh.batchesSent();
            // chunks go out as members free, a few at a time each: most of the map was never sent
            assertTrue(sent < many.size() / 2, sent + " Hazelcast tasks sent in 300 ms");
            Thread.sleep(300);
            assertEquals(sent, fresh.batchesSent());
            assertTrue(running.isCancelled());
            assertEquals(List.of(2L, 9L), fresh.map(x -> (long) x * x * x + 1, List.of(1, 2), 1));
        }
    }

    @Test
    void anExceptionThatCannotTravelArrivesAsARemoteTaskException() throws Exception {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> pool.apply(() -> {
                    throw new Unportable();
                }));
        io.multiprocessing4j.errors.RemoteTaskException cause =
                assertInstanceOf(io.multiprocessing4j.errors.RemoteTaskException.class, failure.getCause());
        assertEquals(Unportable.class.getName(), cause.remoteClassName());
    }

    static final class Unportable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Object notSerializable = new Object();
    }

    @Test
    void anUnserializableTaskIsRefusedInTheCaller() {
        Object local = new Object();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> pool.apply(() -> local.hashCode()));
        assertTrue(refused.getMessage().contains("java.lang.Object"), refused.getMessage());
    }

    @Test
    void callbacksRunBeforeTheResultIsReady() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        ProcessPool.Result<Long> result = pool.applyAsync(ClusterPoolTest::cube, 3, seen::set);
        assertEquals(27L, result.get(Duration.ofSeconds(30)));
        assertEquals(27L, seen.get());
        assertTrue(result.successful());

        AtomicReference<Throwable> error = new AtomicReference<>();
        ProcessPool.Result<List<Integer>> failed = pool.mapAsync(ClusterPoolTest::failOnSeven, List.of(7), 1,
                null, error::set);
        failed.await();
        assertFalse(failed.successful());
        assertInstanceOf(IllegalArgumentException.class, error.get());
        assertEquals(28L, (long) pool.applyAsync(() -> 27L).thenApply(x -> x + 1).get(30, TimeUnit.SECONDS));
    }

    @Test
    void theExecutorServiceViewRunsTasksOnMembers() throws Exception {
        ExecutorService executor = pool.asExecutorService();
        long here = ProcessHandle.current().pid();
        Future<Long> pid = ((ClusterExecutorService) executor).submit(() -> ProcessHandle.current().pid());
        assertTrue(pid.get() != here);
        List<PoolCallable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
        List<Integer> values = new ArrayList<>();
        for (Future<Integer> future : executor.invokeAll(tasks)) {
            values.add(future.get());
        }
        assertEquals(List.of(1, 2, 3), values);
        assertTrue(executor.invokeAny(tasks) > 0);
    }

    @Test
    void aTaskOverTheTimeoutFailsAndItsMemberServesOn() throws Exception {
        try (ClusterPool timed = cluster.poolBuilder().taskTimeout(Duration.ofMillis(500)).build()) {
            long start = System.nanoTime();
            ExecutionException failure = assertThrows(ExecutionException.class, () -> timed.apply(() -> {
                Thread.sleep(20_000);
                return 0;
            }));
            assertInstanceOf(TaskTimeoutException.class, failure.getCause());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
            assertEquals(List.of(1L, 8L, 27L), timed.map(ClusterPoolTest::cube, List.of(1, 2, 3), 1));
        }
    }

    @Test
    void aShutDownPoolFinishesItsTasksAndRefusesNewOnes() throws Exception {
        ClusterPool closing = cluster.pool();
        ProcessPool.Result<List<Long>> pending = closing.mapAsync(ClusterPoolTest::cube, List.of(1, 2, 3));
        closing.shutdown();
        assertThrows(IllegalStateException.class, () -> closing.apply(() -> 1));
        closing.join();
        assertEquals(List.of(1L, 8L, 27L), pending.get());

        ClusterPool running = cluster.pool();
        assertThrows(IllegalStateException.class, running::join);
        ProcessPool.Result<Integer> sleeping = running.applyAsync(() -> {
            Thread.sleep(20_000);
            return 1;
        });
        running.terminate();
        running.join();
        assertTrue(sleeping.isCancelled());
    }

    @Test
    void aQueueCarriesEveryMessageExactlyOnceFromProducersToConsumersOnOtherMembers() throws Exception {
        String name = "queue-" + java.util.UUID.randomUUID();
        int producers = 3;
        int perProducer = 500;
        List<ProcessPool.Result<List<String>>> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            consumers.add(pool.applyAsync(() -> {
                java.util.concurrent.BlockingQueue<String> queue = Cluster.member().queue(name);
                List<String> taken = new ArrayList<>();
                long self = ProcessHandle.current().pid();
                for (String message = queue.take(); !message.equals("STOP"); message = queue.take()) {
                    taken.add(self + ">" + message);
                }
                return taken;
            }));
        }
        List<ProcessPool.Result<Long>> producing = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            producing.add(pool.applyAsync(() -> {
                java.util.concurrent.BlockingQueue<String> queue = Cluster.member().queue(name);
                long self = ProcessHandle.current().pid();
                for (int i = 0; i < perProducer; i++) {
                    queue.put(self + ":" + producer + ":" + i);
                }
                return self;
            }));
        }
        for (ProcessPool.Result<Long> done : producing) {
            done.get(Duration.ofSeconds(60));
        }
        java.util.concurrent.BlockingQueue<String> queue = cluster.queue(name);
        for (int i = 0; i < consumers.size(); i++) {
            queue.put("STOP");
        }
        List<String> received = new ArrayList<>();
        int crossMember = 0;
        for (ProcessPool.Result<List<String>> consumer : consumers) {
            for (String entry : consumer.get(Duration.ofSeconds(60))) {
                String[] parts = entry.split(">");
                received.add(parts[1]);
                if (!parts[1].startsWith(parts[0] + ":")) {
                    crossMember++;
                }
            }
        }
        assertEquals(producers * perProducer, received.size());
        assertEquals(producers * perProducer, new HashSet<>(received).size());
        assertTrue(crossMember > 0, "no message went from one member to another");
        assertTrue(queue.isEmpty());
    }

    @Test
    void theClustersMapAndListAreSharedWithTheMembers() throws Exception {
        String name = "shared-" + java.util.UUID.randomUUID();
        Map<String, Integer> map = cluster.map(name);
        map.put("answer", 42);
        assertEquals(43, (int) pool.apply(() -> Cluster.member().<String, Integer>map(name).get("answer") + 1));
        pool.map(x -> Cluster.member().<Integer>list(name).add(x), List.of(1, 2, 3), 1);
        List<Integer> list = new ArrayList<>(cluster.list(name));
        list.sort(null);
        assertEquals(List.of(1, 2, 3), list);
        pool.apply(() -> Cluster.member().<String, Integer>map(name).merge("answer", 1, Integer::sum));
        assertEquals(43, map.get("answer"));
    }
}
