package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.nativ.Spawn;
import io.multiprocessing4j.internal.transfer.LambdaCodec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one key's class-data archive: runs a training child, a real child JVM with the very
 * command line children get, as a warm spare (or as a spawned child, for an archive whose classes
 * all load at boot: {@link ArchiveKind#trainsAsSpare}), so that it walks every path a child takes
 * before its target runs (boot, the spare's rehearsal of a handoff, real orders, a compact target,
 * the exit), and has it write the archive at its exit under a temporary name; before its orders it
 * loads the classes of targets seen so far, as a spare loads recent targets' (SparePreload), so
 * that they are archived too. It then installs the archive with
 * a hard link that fails if another JVM installed one first (the loser discards its own), and
 * writes its manifest. The training child's output goes to /dev/null, as the creation step's does;
 * both run at a nice value 10 above this JVM's and die with it.
 */
final class ClassDataArchiveBuilder {
    private static final System.Logger LOG = System.getLogger(ClassDataArchiveBuilder.class.getName());
    /** A training run or an archive creation that takes longer is killed. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);
    /** Temporary files older than this were left by a builder that died: deleted. */
    private static final long ABANDONED_MILLIS = 10 * 60_000;
    /** A build gives way to the work it is meant to speed up: its steps run this much nicer. */
    private static final int NICE_INCREMENT = 10;

    private ClassDataArchiveBuilder() {
    }

    /**
     * Builds and installs the archive, with {@code targetClasses} in it (those it can take: from the
     * leading jars, for a static archive); returns without one if any step fails (a debug log says why).
     */
    static void build(ArchiveKey key, ArchiveFiles files, List<String> targetClasses)
            throws IOException, InterruptedException {
        deleteAbandoned(files.directory);
        String unique = "." + ProcessCalls.getpid() + "-" + System.nanoTime() + ".tmp";
        Path built = files.directory.resolve(files.archive.getFileName() + unique);
        Path trainingOutput = files.directory.resolve(files.archive.getFileName() + ".training" + unique);
        Path manifest = files.directory.resolve(files.manifest.getFileName() + unique);
        try {
            List<String> training = new ArrayList<>(key.argv);
            // The tracker channel a real child is given is not the training child's to use.
            training.removeIf(option -> option.startsWith("-D" + ResourceTracker.FD_PROPERTY + "="));
            training.addAll(JvmCommandLine.afterStartUpOptions(training), key.kind.trainingOptions(trainingOutput));
            if (key.kind.trainsAsSpare()) {
                training.add(JvmCommandLine.Mode.SPARE.argument);
            }
            if (!train(training, targetClasses) || !Files.isRegularFile(trainingOutput)) {
                LOG.log(System.Logger.Level.DEBUG, () -> "the training child wrote no class-data archive: "
                        + training);
                return;
            }
            List<String> creation = new ArrayList<>(ArchiveKey.withoutMainClass(key.argv));
            creation.removeIf(option -> option.startsWith("-D" + ResourceTracker.FD_PROPERTY + "="));
            if (key.kind.dumpsJarsOnly()) {
                keepLeadingJars(creation);
            }
            creation.addAll(JvmCommandLine.afterStartUpOptions(creation), key.kind.creationOptions(trainingOutput, built));
            if (!create(creation) || !Files.isRegularFile(built)) {
                LOG.log(System.Logger.Level.DEBUG, () -> "no class-data archive created: " + creation);
                return;
            }
            ArchiveFiles.writeManifest(built, manifest);
            if (install(built, files.archive)) {
                Files.move(manifest, files.manifest, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(built);
            Files.deleteIfExists(trainingOutput);
            Files.deleteIfExists(manifest);
        }
    }

    /**
     * Cuts the class path after its leading jars: what a dump can take, and a prefix of the
     * children's class path, as an archive's must be.
     */
    private static void keepLeadingJars(List<String> argv) {
        int at = argv.indexOf("-cp");
        if (at < 0 || at + 1 >= argv.size()) {
            return;
        }
        StringBuilder jars = new StringBuilder();
        for (String entry : argv.get(at + 1).split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                break;
            }
            jars.append(jars.length() == 0 ? "" : java.io.File.pathSeparator).append(entry);
        }
        if (jars.length() == 0) {
            argv.remove(at + 1);
            argv.remove(at);
        } else {
            argv.set(at + 1, jars.toString());
        }
    }

    /** Links {@code built} into place unless an archive is there already; true if this one was installed. */
    private static boolean install(Path built, Path archive) throws IOException {
        try {
            Files.createLink(archive, built);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // another JVM won the race: its archive (once checked) serves
        } catch (UnsupportedOperationException e) {
            try { // a file system without hard links: a rename that may replace a racer's equal archive
                Files.move(built, archive, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (IOException failed) {
                return false;
            }
        }
    }

    /**
     * Runs the training child: spawned with a child's fd table (stdout and stderr to /dev/null),
     * given what a parent gives a spare (the classes to load ahead, then orders with an empty
     * target), and waited for.
     */
    private static boolean train(List<String> argv, List<String> targetClasses) throws InterruptedException {
        int[] pair = new int[2];
        OwnedFd ours = null;
        OwnedFd theirs = null;
        try {
            Sockets.socketpair(pair);
            ours = new OwnedFd(pair[0]);
            theirs = new OwnedFd(pair[1]);
            OwnedFd parentEnd = ours;
            OwnedFd childEnd = theirs;
            int[] plan = {Spawn.DEV_NULL, Spawn.DEV_NULL, Spawn.DEV_NULL, childEnd.fd(), Spawn.DEV_NULL};
            return runStep("the training child for a class-data archive", argv, plan, () -> {
                childEnd.close();
                byte[] orders = orders(targetClasses);
                for (int sent = 0; sent < orders.length; ) {
                    sent += Sockets.send(parentEnd.fd(), orders, sent, orders.length - sent);
                }
            });
        } catch (SystemCallException e) {
            LOG.log(System.Logger.Level.DEBUG, "no socket for the training child of a class-data archive", e);
            return false;
        } finally {
            if (ours != null) {
                ours.close();
            }
            if (theirs != null) {
                theirs.close();
            }
        }
    }

    /**
     * The classes to load ahead (a spare's preload frame, when there are any), then a spare's
     * orders: an empty target in the compact form, this JVM as the parent.
     */
    private static byte[] orders(List<String> targetClasses) {
        ProcessTarget target = ArchiveTrainingTarget::run;
        byte[] compact = LambdaCodec.encode(target);
        byte[] orders = new BootstrapMessage("class-data-archive-training", new int[] {1}, false, new byte[32],
                ProcessCalls.getpid(), "MainProcess", LaunchSettings.DEFAULTS, 0, true, compact).encode();
        if (targetClasses.isEmpty()) {
            return orders;
        }
        byte[] preload = SparePreload.frame(targetClasses);
        byte[] both = Arrays.copyOf(preload, preload.length + orders.length);
        System.arraycopy(orders, 0, both, preload.length, orders.length);
        return both;
    }

    /**
     * Runs the step that turns the training's output into the archive (a JVM dumping it, output to
     * /dev/null), which dies with this JVM as the training child does: a build cut short by the
     * parent's end leaves no process behind, only a temporary file for a later build to delete.
     */
    private static boolean create(List<String> argv) throws InterruptedException {
        return runStep("the creation of a class-data archive", argv,
                new int[] {Spawn.DEV_NULL, Spawn.DEV_NULL, Spawn.DEV_NULL}, () -> { });
    }

    /** What a step is given once spawned (the training child's orders). */
    private interface StepInput {
        void send() throws SystemCallException;
    }

    /**
     * Spawns one step of the build with the fd table {@code plan}, killed by the kernel if this JVM
     * ends first, gives it {@code input} and waits for it; true if it exited with status 0.
     */
    private static boolean runStep(String what, List<String> argv, int[] plan, StepInput input)
            throws InterruptedException {
        ChildHandle child = null;
        try {
            Spawn.Started started = Spawner.spawn(argv.get(0), argv, plan, ProcessCalls.SIGKILL, NICE_INCREMENT);
            child = new ChildHandle(started.pid, started.pidfd);
            child.watch();
            input.send();
            return succeeded(child);
        } catch (SystemCallException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, what + " failed", e);
            if (child != null) {
                ChildLauncher.killAndReap(child);
                child = null;
            }
            return false;
        } finally {
            if (child != null) {
                child.close();
            }
        }
    }

    /** Whether {@code child} exits with status 0 within {@link #STEP_TIMEOUT}; killed if it does not end by then. */
    private static boolean succeeded(ChildHandle child) throws InterruptedException, SystemCallException {
        if (!child.await(STEP_TIMEOUT)) {
            child.signal(ProcessCalls.SIGKILL);
            child.await(Duration.ofSeconds(10));
            return false;
        }
        return child.exitFuture().getNow(-1) == 0;
    }

    private static void deleteAbandoned(Path directory) {
        try (DirectoryStream<Path> temporary = Files.newDirectoryStream(directory, "child-*.tmp")) {
            long now = System.currentTimeMillis();
            for (Path file : temporary) {
                if (now - Files.getLastModifiedTime(file).toMillis() > ABANDONED_MILLIS) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // only tidying
        }
    }
}
