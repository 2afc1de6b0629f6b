package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Peer of native/spawn.c: start a program with an exact fd table. */
public final class Spawn {
    /** Child fd {@code i} is {@code fdSources[i]}; this value puts {@code /dev/null} there instead. */
    public static final int DEV_NULL = -1;
    /** As a nice value: the child keeps the spawning thread's. */
    public static final int SPAWNERS_NICE = Integer.MIN_VALUE;

    /** Where a spawn gave up, indexed by native/spawn_child.h's stage numbers. */
    private static final String[] STAGE_CALLS = {
        "spawn", "clone", "prctl(PR_SET_PDEATHSIG)", "spawn (parent exited)", "fcntl(F_DUPFD_CLOEXEC)",
        "open(/dev/null)", "dup2", "close_range", "execve", "pidfd_open",
    };

    private Spawn() {
    }

    /** A started child: its pid and its close-on-exec pidfd, which the caller now owns. */
    public static final class Started {
        public final int pid;
        public final OwnedFd pidfd;

        Started(int pid, OwnedFd pidfd) {
            this.pid = pid;
            this.pidfd = pidfd;
        }
    }

    private static native int spawn0(byte[] path, byte[][] argv, byte[][] unset, int[] fdSources, int pdeathsig,
                                     int nice, int[] out);

    /**
     * Starts {@code path} with {@code argv}, this process's environment less the variables named
     * in {@code unset} (null: none; filtered natively, so that every other variable keeps its bytes whatever
     * their encoding) and exactly the fds in {@code fdSources}. With {@code pdeathsig} non-zero,
     * the child gets that signal when the calling thread ends, so call from a thread that lives as
     * long as the JVM. The child sets its nice value to {@code nice} before it runs the program
     * (best effort: a value below the calling thread's takes CAP_SYS_NICE), or keeps the calling
     * thread's ({@link #SPAWNERS_NICE}); the calling thread's own is left alone.
     */
    public static Started spawn(String path, List<String> argv, List<String> unset, int[] fdSources,
                                int pdeathsig, int nice) throws SystemCallException {
        int[] out = new int[3];
        NativeLibrary.load();
        int result = spawn0(path.getBytes(StandardCharsets.UTF_8), bytes(argv), bytes(unset), fdSources, pdeathsig,
                nice, out);
        if (result < 0) {
            int stage = out[2];
            String call = stage >= 0 && stage < STAGE_CALLS.length ? STAGE_CALLS[stage] : "spawn";
            if ("execve".equals(call)) {
                call = "execve(" + path + ")";
            }
            throw Errors.exception(call, -result);
        }
        return new Started(out[0], new OwnedFd(out[1]));
    }

    private static byte[][] bytes(List<String> strings) {
        if (strings == null) {
            return null;
        }
        byte[][] bytes = new byte[strings.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }
}
