package io.multiprocessing4j.support;

import io.multiprocessing4j.connection.AbstractUnixAddress;
import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.connection.PeerCredentials;
import io.multiprocessing4j.internal.nativ.NativeLibrary;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client that runs as another user ({@code nobody}, through {@code setpriv}; needs root): it
 * connects to an abstract address, says nothing, and reports how soon the server closed the
 * connection ({@code CLOSED <ms>}) or that it did not within 10 s ({@code OPEN}). It runs in a JVM
 * of its own with only the library's and the tests' class directories (which {@code nobody} can
 * read), and loads the native library from the class directory.
 */
public final class OtherUserProbe {
    private OtherUserProbe() {
    }

    /** Whether the probe can run here: as root, with setpriv. */
    public static boolean available() {
        return PeerCredentials.ownUid() == 0 && new File("/usr/bin/setpriv").canExecute();
    }

    /** Runs the probe against {@code address} as nobody; returns what it printed. */
    public static String run(AbstractUnixAddress address) throws IOException, InterruptedException {
        Path classes = Paths.get(NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path testClasses = Paths.get(OtherUserProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        Path library = classes.resolve("META-INF/native/linux-" + arch + "/libmultiprocessing4j.so");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", java, "-XX:-UsePerfData", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                "-D" + NativeLibrary.PATH_PROPERTY + "=" + library, "-cp", classes + File.pathSeparator + testClasses,
                OtherUserProbe.class.getName(), HexFormat.of().formatHex(address.name())));
        builder.directory(new File("/"));
        builder.redirectErrorStream(true);
        Path output = Files.createTempFile("probe-", ".out");
        output.toFile().setReadable(true, false);
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                return "probe did not end: " + Files.readString(output);
            }
            return Files.readString(output, StandardCharsets.UTF_8).trim();
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    public static void main(String[] args) throws Exception {
        byte[] name = HexFormat.of().parseHex(args[0]);
        try (Connection connection = Client.connect(AbstractUnixAddress.of(name))) {
            long start = System.nanoTime();
            if (!connection.poll(Duration.ofSeconds(10))) {
                System.out.println("OPEN");
                return;
            }
            try {
                connection.recvBytes();
                System.out.println("GOT A MESSAGE");
            } catch (EOFException | java.net.SocketException closed) {
                System.out.println("CLOSED " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            } catch (IOException e) {
                System.out.println("CLOSED " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " " + e);
            }
        }
    }
}
