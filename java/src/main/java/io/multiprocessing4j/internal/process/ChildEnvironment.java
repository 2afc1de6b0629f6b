package io.multiprocessing4j.internal.process;

import java.util.List;

/**
 * The environment of the JVMs the library starts (children, spares, the resource tracker, the
 * archive builder's): this JVM's, less the variables through which a JVM takes options.
 *
 * <p>What of them the inheritance policy passes on ({@code -D} properties, {@code --add-opens}
 * and their kin; see {@code ProcessContext}) already reaches a child on its command line, since
 * this JVM's input arguments include them. Left in the environment they would also hand every
 * child what the policy keeps back: a monitoring agent injected into the pod through
 * {@code JAVA_TOOL_OPTIONS} (the OpenTelemetry operator and Datadog's admission controller do
 * so), loaded again in each child, which takes its boot from some 30 ms to seconds, adds an
 * instance to the monitoring and may clash on the agent's port; a heap size meant for the
 * application; and a "Picked up ..." line on stderr at every boot. Programs a child runs do not
 * see them either (README).
 */
final class ChildEnvironment {
    /** The variables the JVM and its launcher read options from: never passed to a JVM of ours. */
    static final List<String> UNSET = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private ChildEnvironment() {
    }
}
