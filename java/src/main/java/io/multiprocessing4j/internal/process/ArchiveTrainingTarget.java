package io.multiprocessing4j.internal.process;

/**
 * The target a class-data archive's training child runs: nothing, in a class that does nothing
 * when loaded. Whatever the training child loads goes into the archive, and an archive's classes
 * cost every child's boot (the AOT cache loads them all at start), so the target must not pull in
 * more than a user's empty target would: a class with a {@link System.Logger} field, for one,
 * brings up the JDK's logging (some 70 classes, with a jimage reader and streams) when loaded.
 */
final class ArchiveTrainingTarget {
    private ArchiveTrainingTarget() {
    }

    static void run() {
        // the archive is about what runs before the target
    }
}
