package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.SeparateJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that took options from {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}, as a pod
 * into which a monitoring agent was injected does: its children get what the inheritance policy
 * passes on ({@code -D} properties) on their command line, and neither the agent nor the variables.
 * The agent here is a real one, made by the test, that says where it was loaded.
 */
@ProcessSemantics
@Timeout(120)
class JvmOptionVariablesTest {
    /** A Java agent that reports each JVM it is loaded into. */
    public static final class ReportingAgent {
        public static void premain(String arguments) {
            System.out.println("AGENT_IN " + ProcessHandle.current().pid());
        }
    }

    /** Starts a child that reports the properties and variables it got. */
    public static final class StartChild {
        public static void main(String[] args) throws Exception {
            ChildProcess child = new ChildProcess(() -> {
                SeparateJvm.report("CHILD_TOOL_PROPERTY", System.getProperty("from.tool"));
                SeparateJvm.report("CHILD_LAUNCHER_PROPERTY", System.getProperty("from.launcher"));
                SeparateJvm.report("CHILD_VARIABLES", System.getenv("JAVA_TOOL_OPTIONS") + " "
                        + System.getenv("JDK_JAVA_OPTIONS"));
                SeparateJvm.report("CHILD_KEEPS", System.getenv("MP4J_TEST_KEPT"));
            });
            child.start();
            child.join(Duration.ofSeconds(60));
            SeparateJvm.report("CHILD_EXIT", child.exitCode().orElse(-999));
        }
    }

    private static Path agentJar(Path directory) throws Exception {
        Path classes = Path.of(ReportingAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String entry = ReportingAgent.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", ReportingAgent.class.getName());
        Path jar = directory.resolve("agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
            out.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return jar;
    }

    @Test
    void childrenGetTheVariablesPropertiesButNotTheirAgentNorTheVariables(@TempDir Path directory) throws Exception {
        List<String> environment = List.of("env", "JAVA_TOOL_OPTIONS=-javaagent:" + agentJar(directory)
                + " -Dfrom.tool=yes", "JDK_JAVA_OPTIONS=-Dfrom.launcher=yes", "MP4J_TEST_KEPT=kept");
        try (SeparateJvm jvm = SeparateJvm.start(directory, environment, List.of(), StartChild.class)) {
            assertEquals(0, jvm.awaitExit(90), jvm.stdout() + jvm.stderr());
            String facts = jvm.stdout() + jvm.stderr();
            assertEquals("0", jvm.fact("CHILD_EXIT"), facts);
            assertEquals(List.of("AGENT_IN " + jvm.pid()), jvm.stdout().lines().filter(l -> l.startsWith("AGENT_IN")).toList(),
                    "the agent in the parent only: " + facts);
            assertEquals("yes", jvm.fact("CHILD_TOOL_PROPERTY"), facts);
            assertEquals("yes", jvm.fact("CHILD_LAUNCHER_PROPERTY"), facts);
            assertEquals("null null", jvm.fact("CHILD_VARIABLES"), facts);
            assertEquals("kept", jvm.fact("CHILD_KEEPS"), "every other variable is passed on: " + facts);
            assertEquals(1, jvm.stderr().lines().filter(l -> l.contains("Picked up JAVA_TOOL_OPTIONS")).count(),
                    "said once, by the parent: " + facts);
        }
    }
}
