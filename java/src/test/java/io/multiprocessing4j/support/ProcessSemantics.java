package io.multiprocessing4j.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class about process semantics: the build runs it once per start method (see the
 * surefire executions in java/pom.xml), with the start method as the default context's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("process-semantics")
public @interface ProcessSemantics {
}
