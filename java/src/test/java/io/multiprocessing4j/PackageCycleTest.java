package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No two packages of the library depend on each other, directly or through others: the public
 * packages use {@code internal}, {@code internal} never reaches back into a package that uses it,
 * and the internal packages form layers too. A cycle is what lets a change anywhere ripple
 * everywhere, and what made the registries (a public class registering hooks for internal code)
 * necessary.
 *
 * <p>A dependency is an import, or a fully-qualified name in code, of a type of another package of
 * the library; comments do not count (a Javadoc link is no dependency at run time). The sources,
 * the generated {@code sharedctypes} ones included, are parsed only, which takes a second.
 */
@Timeout(120)
class PackageCycleTest {
    private static final String ROOT = "io.multiprocessing4j";
    private static final List<Path> SOURCES =
            List.of(Path.of("src/main/java"), Path.of("target/generated-sources/sharedctypes"));

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : SOURCES) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(file -> file.toString().endsWith(".java")).forEach(files::add);
                }
            }
        }
        assertTrue(files.size() > 100, "the sources were found: " + files.size());
        Graph graph = Graph.of(parse(files));
        assertTrue(graph.edges.containsKey(ROOT + ".pool"), "the scan saw the pool package");
        Map<Set<String>, String> cycles = graph.cycles();
        assertEquals(List.of(), List.copyOf(cycles.values()), cycles.size() + " package cycles");
    }

    @Test
    void theScanFindsACycleThroughAFullyQualifiedName() throws IOException {
        List<JavaFileObject> sources = List.of(
                source("a/A.java", "package " + ROOT + ".a; import " + ROOT + ".b.B; class A { B b; }"),
                source("b/B.java", "package " + ROOT + ".b; /** {@link " + ROOT + ".c.C} */ class B {"
                        + " Object c = new " + ROOT + ".c.C(); }"),
                source("c/C.java", "package " + ROOT + ".c; class C { Object a = " + ROOT + ".a.A.class; }"),
                source("d/D.java", "package " + ROOT + ".d; /** {@link " + ROOT + ".a.A} */ class D { }"));
        Map<Set<String>, String> cycles = Graph.of(parseObjects(sources)).cycles();
        assertEquals(Set.of(Set.of(ROOT + ".a", ROOT + ".b", ROOT + ".c")), cycles.keySet(), String.valueOf(cycles));
        String cycle = cycles.values().iterator().next();
        assertTrue(cycle.contains("-> " + ROOT + ".b (A: " + ROOT + ".b.B)"), cycle);
        assertTrue(cycle.contains("-> " + ROOT + ".a (C: " + ROOT + ".a.A)"), cycle);
    }

    /** Package to package, each edge with one example use ("Class: used.Type"). */
    private static final class Graph {
        final Map<String, Map<String, String>> edges = new TreeMap<>();

        static Graph of(List<CompilationUnitTree> units) {
            Set<String> packages = new TreeSet<>();
            for (CompilationUnitTree unit : units) {
                if (unit.getPackageName() != null) {
                    packages.add(unit.getPackageName().toString());
                }
            }
            Graph graph = new Graph();
            for (CompilationUnitTree unit : units) {
                if (unit.getPackageName() == null) {
                    continue;
                }
                String from = unit.getPackageName().toString();
                String file = Path.of(unit.getSourceFile().toUri().getPath()).getFileName().toString();
                String user = file.substring(0, file.length() - ".java".length());
                Map<String, String> out = graph.edges.computeIfAbsent(from, key -> new TreeMap<>());
                for (String name : qualifiedNames(unit)) {
                    String to = packageOf(name, packages);
                    if (to != null && !to.equals(from)) {
                        out.putIfAbsent(to, user + ": " + name);
                    }
                }
            }
            return graph;
        }

        /** The longest known package that {@code name} starts with, and is followed by a type name. */
        private static String packageOf(String name, Set<String> packages) {
            String best = null;
            for (String candidate : packages) {
                if (name.startsWith(candidate + ".") && Character.isUpperCase(name.charAt(candidate.length() + 1))
                        && (best == null || candidate.length() > best.length())) {
                    best = candidate;
                }
            }
            return best;
        }

        /**
         * Every strongly connected group of packages (each depends on each, through the others),
         * with one cycle through it as "a -> b (why) -> ... -> a".
         */
        Map<Set<String>, String> cycles() {
            Map<Set<String>, String> found = new LinkedHashMap<>();
            for (Set<String> group : stronglyConnected()) {
                if (group.size() > 1) {
                    found.put(group, describe(shortestCycle(group.iterator().next(), group)));
                }
            }
            return found;
        }

        private List<String> shortestCycle(String start, Set<String> group) {
            Map<String, String> previous = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            while (!queue.isEmpty()) {
                String at = queue.removeFirst();
                for (String next : edges.getOrDefault(at, Map.of()).keySet()) {
                    if (next.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String step = at; !step.equals(start); step = previous.get(step)) {
                            path.add(1, step);
                        }
                        path.add(start);
                        return path;
                    }
                    if (group.contains(next) && !previous.containsKey(next)) {
                        previous.put(next, at);
                        queue.addLast(next);
                    }
                }
            }
            throw new IllegalStateException("no cycle through " + start);
        }

        private String describe(List<String> path) {
            StringBuilder text = new StringBuilder(path.get(0));
            for (int i = 1; i < path.size(); i++) {
                text.append(" -> ").append(path.get(i))
                        .append(" (").append(edges.get(path.get(i - 1)).get(path.get(i))).append(')');
            }
            return text.toString();
        }

        /** Tarjan's algorithm, iteration order fixed so the report is stable. */
        private List<Set<String>> stronglyConnected() {
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> low = new HashMap<>();
            Deque<String> stack = new ArrayDeque<>();
            List<Set<String>> groups = new ArrayList<>();
            for (String node : edges.keySet()) {
                if (!index.containsKey(node)) {
                    connect(node, index, low, stack, groups);
                }
            }
            return groups;
        }

        private void connect(String node, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                             List<Set<String>> groups) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            for (String next : edges.getOrDefault(node, Map.of()).keySet()) {
                if (!index.containsKey(next)) {
                    connect(next, index, low, stack, groups);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (stack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                Set<String> group = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    group.add(member);
                } while (!member.equals(node));
                groups.add(group);
            }
        }
    }

    /** Imports and fully-qualified names in code under {@link #ROOT}; comments are not in the tree. */
    private static Set<String> qualifiedNames(CompilationUnitTree unit) {
        Set<String> found = new TreeSet<>();
        for (ImportTree importTree : unit.getImports()) {
            found.add(importTree.getQualifiedIdentifier().toString());
        }
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMemberSelect(MemberSelectTree select, Void unused) {
                String name = select.toString();
                if (name.startsWith(ROOT + ".") && startsWithIdentifier(select)) {
                    found.add(upToTypeName(name));
                    return null; // its parts are prefixes of the same name
                }
                return super.visitMemberSelect(select, unused);
            }

            @Override
            public Void visitImport(ImportTree importTree, Void unused) {
                return null; // counted above
            }
        }.scan(unit, null);
        return found;
    }

    /** {@code a.b.C} of {@code a.b.C.D.method}: the package and its outermost type. */
    private static String upToTypeName(String name) {
        String[] parts = name.split("\\.");
        StringBuilder prefix = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            prefix.append('.').append(parts[i]);
            if (Character.isUpperCase(parts[i].charAt(0))) {
                break;
            }
        }
        return prefix.toString();
    }

    /** A chain of names (a.b.C), not a method call's result (x().y). */
    private static boolean startsWithIdentifier(MemberSelectTree select) {
        Tree expression = select.getExpression();
        while (expression instanceof MemberSelectTree) {
            expression = ((MemberSelectTree) expression).getExpression();
        }
        return expression instanceof IdentifierTree;
    }

    private static List<CompilationUnitTree> parse(List<Path> files) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            return parseObjects(fileManager.getJavaFileObjectsFromPaths(files));
        }
    }

    private static List<CompilationUnitTree> parseObjects(Iterable<? extends JavaFileObject> sources)
            throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        JavacTask task = (JavacTask) compiler.getTask(null, null, null, List.of("-proc:none"), null, sources);
        List<CompilationUnitTree> units = new ArrayList<>();
        task.parse().forEach(units::add);
        return units;
    }

    private static JavaFileObject source(String path, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + path), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }
}
