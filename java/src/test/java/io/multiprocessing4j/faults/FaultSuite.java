package io.multiprocessing4j.faults;

/**
 * The fault suite (README, "Fault suite"): tests of faults and loads from the field, each with a
 * short variant that runs in every build and a long one behind
 * {@code -Dmultiprocessing4j.faults.long=true}. They carry the JUnit tag {@value #TAG}, so
 * {@code mvn -B -pl java -am verify -Dgroups=fault-suite -Dmultiprocessing4j.faults.long=true} runs
 * exactly the suite, long.
 */
final class FaultSuite {
    static final String TAG = "fault-suite";

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
