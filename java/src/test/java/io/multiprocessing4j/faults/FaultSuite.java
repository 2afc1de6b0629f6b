package io.multiprocessing4j.faults;

/**
 * The fault suite (README, "Fault suite"): tests of faults and loads from the field, each with a
 * short variant that runs in every build and a long one behind
 * {@code -Dmultiprocessing4j.faults.long=true}. Its classes, here and elsewhere, are marked
 * {@link io.multiprocessing4j.support.InFaultSuite}.
 */
final class FaultSuite {
    private FaultSuite() {
    }

    /** Whether the long variants were asked for. */
    static boolean isLong() {
        return Boolean.getBoolean("multiprocessing4j.faults.long");
    }

    /** {@code shortValue} normally, {@code longValue} with the flag. */
    static int scale(int shortValue, int longValue) {
        return isLong() ? longValue : shortValue;
    }
}
