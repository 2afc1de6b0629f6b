package io.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.ProcessContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a pool reaches its workers: each worker's target carries its end of a socketpair, so the
 * pool listens on no address anyone else could connect to, and the target still travels in the
 * compact form (a spawned worker boots without Java serialization).
 */
@Timeout(120)
class PoolChannelTest {
    /** The unix sockets of this process in the listening state, by inode. */
    private static Set<String> listeningSockets() throws IOException {
        Set<String> own = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        own.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException vanished) {
                    // the fd of the listing itself
                }
            });
        }
        Set<String> listening = new HashSet<>();
        List<String> table = Files.readAllLines(Path.of("/proc/net/unix"));
        for (String line : table.subList(1, table.size())) {
            String[] columns = line.trim().split("\\s+");
            // Num RefCount Protocol Flags Type St Inode [Path]; flag 0x10000 is __SO_ACCEPTCON
            boolean acceptsConnections = (Integer.parseInt(columns[3], 16) & 0x10000) != 0;
            if (acceptsConnections && own.contains(columns[6])) {
                listening.add(columns[6]);
            }
        }
        return listening;
    }

    private void listensOnNothingUnder(String method) throws Exception {
        ProcessContext context = Multiprocessing.getContext(method);
        Set<String> before = listeningSockets();
        try (Pool pool = Pool.builder().processes(2).context(context).build()) {
            assertEquals(7, pool.apply(() -> 7));
            Set<String> during = listeningSockets();
            during.removeAll(before);
            assertEquals(Set.of(), during, "the pool listens on a socket of its own");
            pool.shutdown();
            pool.join();
        }
    }

    @Test
    void aWarmPoolListensOnNoAddress() throws Exception {
        listensOnNothingUnder("warm");
    }

    @Test
    void aSpawnedPoolListensOnNoAddress() throws Exception {
        listensOnNothingUnder("spawn");
    }

    static String ownCommandLine() throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ');
    }

    @Test
    void aSpawnedWorkersTargetTravelsInTheCompactForm() throws Exception {
        try (Pool pool = Pool.builder().processes(1).context(Multiprocessing.getContext("spawn")).build()) {
            String commandLine = pool.apply(PoolChannelTest::ownCommandLine);
            assertTrue(commandLine.contains("ChildMain"), commandLine);
            assertFalse(commandLine.trim().endsWith("java-serialization"),
                    "the worker's target took Java serialization: " + commandLine);
        }
    }
}
