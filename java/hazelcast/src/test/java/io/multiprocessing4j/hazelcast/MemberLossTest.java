package io.multiprocessing4j.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.pool.ProcessPool;
import io.multiprocessing4j.errors.WorkerDiedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member SIGKILLed in the middle of a map: the map fails with a {@link MemberLostException}
 * naming that member, or, when asked, re-runs its chunks once on the others and returns every
 * result; either way within the failure-detection time plus the tasks' own time, never a hang.
 * One cluster of five member JVMs for the class: each test kills one, and at least three are
 * left when a map starts. After {@link Cluster#close()} no member is left.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MemberLossTest {
    private static final int TASK_MILLIS = 1500;
    private static final List<Integer> ITEMS = IntStream.range(0, 9).boxed().collect(Collectors.toList());

    private static Cluster cluster;
    private static List<Long> pids;
    private static final List<Long> alive = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.local(5);
        pids = cluster.memberPids();
        alive.addAll(pids);
    }

    @AfterAll
    static void closeCluster() {
        if (cluster == null) {
            return;
        }
        cluster.close();
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "member " + pid + " alive");
        }
    }

    static int slowDouble(int x) throws InterruptedException {
        Thread.sleep(TASK_MILLIS);
        return 2 * x;
    }

    /** Waits (bounded) until the cluster lists exactly the members still alive: an earlier test's victim is gone. */
    private static void awaitMembership() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.members().size() != alive.size()) {
            assertTrue(System.nanoTime() < deadline, "the cluster still lists " + cluster.members());
            Thread.sleep(50);
        }
    }

    /** Once the map's slow tasks run, SIGKILLs the most recently started member still alive; returns its pid. */
    private static long killAMemberDuringAMap(ProcessPool.Result<?> running) throws Exception {
        Thread.sleep(TASK_MILLIS / 2);
        assertFalse(running.isDone());
        long victim = alive.remove(alive.size() - 1);
        ProcessHandle member = ProcessHandle.of(victim).orElseThrow();
        assertTrue(member.destroyForcibly()); // SIGKILL
        return victim;
    }

    @Test
    void aLostMembersTasksFailNamingTheMember() throws Exception {
        awaitMembership();
        try (ClusterPool pool = cluster.pool()) {
            ProcessPool.Result<List<Integer>> running = pool.mapAsync(MemberLossTest::slowDouble, ITEMS, 1);
            long start = System.nanoTime();
            long victim = killAMemberDuringAMap(running);
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> running.get(Duration.ofSeconds(60)));
            long waited = System.nanoTime() - start;
            MemberLostException lost = assertInstanceOf(MemberLostException.class, failure.getCause());
            assertInstanceOf(WorkerDiedException.class, lost);
            assertEquals(victim, lost.pid());
            assertTrue(lost.getMessage().contains("pid " + victim), lost.getMessage());
            assertTrue(lost.getMessage().contains(lost.address()), lost.getMessage());
            // failure detection plus the tasks' own time, with room for a loaded machine
            long bound = cluster.failureDetection().toNanos() + TimeUnit.MILLISECONDS.toNanos(3 * TASK_MILLIS)
                    + TimeUnit.SECONDS.toNanos(10);
            assertTrue(waited < bound, "took " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms");
            // the pool goes on with the members left
            assertEquals(List.of(2, 4, 6), pool.map(x -> 2 * x, List.of(1, 2, 3), 1));
        }
    }

    /** Busy for 50 µs: short enough that the pool sends many such tasks in one Hazelcast task. */
    static int briefDouble(int x) {
        long end = System.nanoTime() + 50_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return 2 * x;
    }

    @Test
    void shortTasksSentManyToAHazelcastTaskRunOnceMoreElsewhereWhenTheirMemberIsLost() throws Exception {
        awaitMembership();
        List<Integer> many = IntStream.range(0, 100_000).boxed().collect(Collectors.toList());
        try (ClusterPool pool = cluster.poolBuilder().rerunOnMemberLoss(true).build()) {
            ProcessPool.Result<List<Integer>> running = pool.mapAsync(MemberLossTest::briefDouble, many, 1);
            killAMemberDuringAMap(running);
            List<Integer> doubled = running.get(Duration.ofSeconds(120));
            assertEquals(many.stream().map(x -> 2 * x).collect(Collectors.toList()), doubled);
            // batches of about a millisecond: some 20 tasks each on an idle machine, fewer under load
            assertTrue(pool.batchesSent() < many.size() / 2, pool.batchesSent() + " Hazelcast tasks");
        }
    }

    @Test
    void aLostMembersTasksRunOnceMoreElsewhereWhenAsked() throws Exception {
        awaitMembership();
        try (ClusterPool pool = cluster.poolBuilder().rerunOnMemberLoss(true).build()) {
            ProcessPool.Result<List<Integer>> running = pool.mapAsync(MemberLossTest::slowDouble, ITEMS, 1);
            long start = System.nanoTime();
            killAMemberDuringAMap(running);
            List<Integer> doubled = running.get(Duration.ofSeconds(90));
            long waited = System.nanoTime() - start;
            assertEquals(ITEMS.stream().map(x -> 2 * x).collect(Collectors.toList()), doubled);
            long bound = cluster.failureDetection().toNanos() + TimeUnit.MILLISECONDS.toNanos(6 * TASK_MILLIS)
                    + TimeUnit.SECONDS.toNanos(10);
            assertTrue(waited < bound, "took " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms");
        }
    }
}
