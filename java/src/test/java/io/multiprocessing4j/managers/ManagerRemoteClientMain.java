package io.multiprocessing4j.managers;

import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.support.SeparateJvm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A JVM of its own that connects to a manager served by {@link ManagerRemoteTest}: args are
 * {@code tcp PORT} or {@code unix PATH}, then the authkey in hex. It reports {@code REFUSED} and
 * the exception's class if the key is refused; otherwise it posts to the shared board, takes a
 * lock and an item of a queue of its own, and reports {@code POSTED}.
 */
public final class ManagerRemoteClientMain {
    private ManagerRemoteClientMain() {
    }

    public static void main(String[] args) throws Exception {
        SocketAddress address = "tcp".equals(args[0])
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1]))
                : UnixDomainSocketAddress.of(args[1]);
        byte[] authkey = HexFormat.of().parseHex(args[2]);
        Manager manager;
        try {
            manager = Manager.connect(address, authkey);
        } catch (AuthenticationException refused) {
            SeparateJvm.report("REFUSED", refused.getClass().getSimpleName());
            SeparateJvm.ready();
            return;
        }
        try (manager) {
            ManagerRemoteTest.Board board = manager.create("Board", ManagerRemoteTest.Board.class);
            LockProxy lock = manager.lock();
            try (var held = lock.hold()) {
                board.post("hello from " + ProcessHandle.current().pid());
            }
            QueueProxy<String> queue = manager.queue();
            queue.put("x");
            SeparateJvm.report("QUEUE", queue.get(Duration.ofSeconds(10)));
            SeparateJvm.report("POSTED", board.posts().size());
        }
        SeparateJvm.ready();
    }
}
