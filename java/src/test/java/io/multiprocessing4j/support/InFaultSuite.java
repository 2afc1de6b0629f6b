package io.multiprocessing4j.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class of the fault suite (README, "Fault suite"): faults and loads from the field —
 * hostile peers, a full /dev/shm, SIGTERM and SIGKILL, PID 1, churn — checked in every build, with
 * long variants behind {@code -Dmultiprocessing4j.faults.long=true}.
 * {@code mvn -B -pl java -am verify -Dgroups=fault-suite} runs the suite alone.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("fault-suite")
public @interface InFaultSuite {
}
