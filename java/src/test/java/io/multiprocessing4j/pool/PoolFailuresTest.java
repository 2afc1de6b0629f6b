package io.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.errors.RemoteTaskException;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.synchronize.Lock;
import java.io.IOException;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task that throws fails with the worker's exception and stack trace, and its worker goes on;
 * what cannot travel fails where it should (the caller for arguments, the task for results); bad
 * settings are refused.
 */
class PoolFailuresTest {
    private static Pool pool;
    private static List<Long> workerPids;

    @BeforeAll
    static void startPool() {
        pool = new Pool(2);
        workerPids = pool.workerPids();
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.close();
        Tasks.assertAllGone(workerPids);
    }

    private static List<Integer> range(int end) {
        return IntStream.range(0, end).boxed().collect(Collectors.toList());
    }

    private static boolean hasFrame(Throwable failure, String method) {
        return Arrays.stream(failure.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(method));
    }

    @Test
    void aTasksExceptionIsTheCauseWithTheWorkersStackTrace() throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.apply(Tasks::failOn13, 13));
        IOException cause = assertInstanceOf(IOException.class, failed.getCause());
        assertEquals("thirteen is unlucky", cause.getMessage());
        assertTrue(hasFrame(cause, "failOn13"), "the worker's frames: " + Arrays.toString(cause.getStackTrace()));
        assertTrue(failed.getMessage().contains("PoolWorker-"), failed.getMessage());
        // the worker goes on serving
        assertEquals(12, pool.apply(Tasks::failOn13, 12));
        assertEquals(workerPids, pool.workerPids());
    }

    @Test
    void aMapFailsWithItsFirstFailingChunkAndAnImapGoesOnAfterIt() throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.map(Tasks::failOn13, range(20)));
        assertInstanceOf(IOException.class, failed.getCause());

        IMapIterator<Integer> results = pool.imap(Tasks::failOn13, range(16));
        List<Object> got = new ArrayList<>();
        while (results.hasNext()) {
            try {
                got.add(results.next());
            } catch (CompletionException e) {
                got.add(e.getCause().getMessage());
            }
        }
        List<Object> expected = new ArrayList<>(range(16));
        expected.set(13, "thirteen is unlucky");
        assertEquals(expected, got);
    }

    @Test
    void theErrorCallbackGetsTheException() throws Exception {
        List<Object> calls = new CopyOnWriteArrayList<>();
        AsyncResult<Integer> result = pool.applyAsync(Tasks::failOn13, 13, value -> calls.add("value " + value),
                calls::add);
        assertThrows(ExecutionException.class, result::get);
        assertEquals(1, calls.size(), "only the error callback ran: " + calls);
        assertInstanceOf(IOException.class, calls.get(0));
        assertTrue(result.ready());
        assertEquals(false, result.successful());

        List<Object> mapCalls = new CopyOnWriteArrayList<>();
        AsyncResult<List<Integer>> mapped = pool.mapAsync(Tasks::failOn13, range(20), 5, mapCalls::add, mapCalls::add);
        assertThrows(ExecutionException.class, mapped::get);
        assertEquals(1, mapCalls.size());
        assertInstanceOf(IOException.class, mapCalls.get(0));
    }

    @Test
    void anExceptionThatCannotTravelArrivesAsARemoteTaskExceptionWithTheSameStory() {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> pool.apply(Tasks::throwUnserializable, 5));
        RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, failed.getCause());
        assertEquals(Tasks.UnserializableException.class.getName(), remote.remoteClassName());
        assertEquals("cannot travel: 5", remote.getMessage());
        assertTrue(hasFrame(remote, "throwUnserializable"), Arrays.toString(remote.getStackTrace()));
        RemoteTaskException inner = assertInstanceOf(RemoteTaskException.class, remote.getCause());
        assertEquals(IllegalStateException.class.getName(), inner.remoteClassName());
        assertEquals("inner cause", inner.getMessage());
        assertTrue(remote.toString().startsWith(Tasks.UnserializableException.class.getName()), remote.toString());
    }

    @Test
    void aResultThatCannotBeSerializedFailsOnlyItsTask() throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.apply(Tasks::opaqueResult, 3));
        NotSerializableException cause = assertInstanceOf(NotSerializableException.class, failed.getCause());
        assertTrue(cause.getMessage().contains(Tasks.Opaque.class.getName()), cause.getMessage());
        assertTrue(cause.getMessage().contains("cannot be sent back"), cause.getMessage());
        assertEquals(4, pool.apply(Tasks::opaqueResult, 4));
        assertEquals(List.of(0, 1, 2), pool.map(Tasks::opaqueResult, range(3)));
        assertThrows(ExecutionException.class, () -> pool.map(Tasks::opaqueResult, range(5)));
        assertEquals(workerPids, pool.workerPids(), "no worker was lost");
    }

    @Test
    void anUnserializableFunctionFailsTheCallBeforeAnythingIsQueued() throws Exception {
        Tasks.Opaque captured = new Tasks.Opaque(1);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> pool.applyAsync(() -> captured.value));
        assertTrue(refused.getMessage().contains(Tasks.Opaque.class.getName()), refused.getMessage());
        assertTrue(refused.getMessage().contains("not serializable"), refused.getMessage());
        assertInstanceOf(NotSerializableException.class, refused.getCause());
        assertThrows(IllegalArgumentException.class, () -> pool.map(x -> captured.value + (Integer) x, range(3)));
        assertEquals(1L, pool.apply(() -> Tasks.cube(2)));
    }

    @Test
    void anUnserializableArgumentFailsTheCallNamingTheItem() throws Exception {
        List<Object> items = Arrays.asList(1, 2, new Tasks.Opaque(3), 4);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> pool.mapAsync(x -> x, items));
        assertTrue(refused.getMessage().contains("item 2"), refused.getMessage());
        assertTrue(refused.getMessage().contains(Tasks.Opaque.class.getName()), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(x -> x, new Tasks.Opaque(1)));
        assertThrows(IllegalArgumentException.class, () -> pool.imap(x -> x, items));
        assertEquals(List.of(1, 2), pool.map(x -> x, List.of(1, 2)));
    }

    @Test
    void aLockCannotRideWithATaskAndTheMessageSaysWhereItCanGo() {
        Lock lock = new Lock();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> pool.applyAsync(() -> lock.tryLock()));
        assertTrue(refused.getMessage().contains("initializer"), refused.getMessage());
    }

    @Test
    void badSettingsAreRefusedWithPythonsMessages() {
        IllegalArgumentException processes = assertThrows(IllegalArgumentException.class, () -> new Pool(0));
        assertEquals("Number of processes must be at least 1", processes.getMessage());
        IllegalArgumentException chunksize = assertThrows(IllegalArgumentException.class,
                () -> pool.map(Tasks::cube, range(3), 0));
        assertEquals("Chunksize must be 1+, not 0", chunksize.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pool.imap(Tasks::cube, range(3), -1));
        assertThrows(IllegalArgumentException.class, () -> new Pool(2, null, 0));
        assertThrows(IllegalArgumentException.class, () -> Pool.builder().taskTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> pool.applyAsync((PoolCallable<Object>) null));
        assertThrows(NullPointerException.class, () -> pool.map(Tasks::cube, null));
    }
}
