package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every member of the public API has a doc comment: each public or protected type, constructor,
 * method and field of a public type in the public packages (everything outside
 * {@code io.multiprocessing4j.internal}), the generated {@code sharedctypes} classes included.
 * A method marked {@code @Override} inherits its documentation and is left out, as doclint does.
 *
 * <p>Why a test beside the javadoc run: doclint's {@code missing} group cannot ask for comments
 * alone; it also wants an {@code @param}, {@code @return} and {@code @throws} tag on every method,
 * which the Javadoc here does not follow (its prose says what a parameter means where it matters).
 * The javadoc run in {@code mvn -B verify} checks the rest (syntax, HTML, references) and fails on
 * any warning. The sources are only parsed, which takes a second or two.
 */
@Timeout(120)
class PublicApiDocsTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path GENERATED = Path.of("target/generated-sources/sharedctypes");

    @Test
    void everyPublicMemberOfThePublicPackagesHasADocComment() throws IOException {
        List<Path> files = publicSources();
        assertTrue(files.size() > 50, "the public sources were found: " + files.size());
        assertTrue(files.stream().anyMatch(file -> file.endsWith("SharedInt.java")),
                "the generated sharedctypes sources are checked too (run after generate-sources)");
        List<String> undocumented = undocumented(files);
        assertEquals(List.of(), undocumented, undocumented.size() + " public members have no doc comment");
    }

    @Test
    void theCheckFindsAMemberWithoutAComment() throws IOException {
        Path dir = Files.createTempDirectory("api-docs");
        try {
            Path file = dir.resolve("Sample.java");
            Files.writeString(file, "package io.multiprocessing4j;\n"
                    + "/** A sample. */\npublic class Sample {\n"
                    + "    /** Documented. */\n    public void documented() {}\n"
                    + "    public int undocumented(int x) { return x; }\n"
                    + "    @Override public String toString() { return \"\"; }\n"
                    + "    private void hidden() {}\n"
                    + "    /** An interface. */\n    public interface Inner {\n        void implicitlyPublic();\n    }\n"
                    + "}\n", StandardCharsets.UTF_8);
            assertEquals(List.of("Sample.java:6 undocumented", "Sample.java:11 implicitlyPublic"),
                    undocumented(List.of(file)));
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static List<Path> publicSources() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(SOURCES, GENERATED)) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(path -> path.toString().endsWith(".java"))
                        .filter(path -> !path.getFileName().toString().equals("package-info.java"))
                        .filter(path -> !root.relativize(path).toString().startsWith("io/multiprocessing4j/internal/"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    /** "File.java:line name" for every undocumented public member of the files' public types. */
    private static List<String> undocumented(List<Path> files) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> found = new ArrayList<>();
        try (StandardJavaFileManager manager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = manager.getJavaFileObjectsFromPaths(files);
            JavacTask task = (JavacTask) compiler.getTask(null, manager, null, List.of("-proc:none"), null, units);
            DocTrees docs = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                for (Tree type : unit.getTypeDecls()) {
                    if (type instanceof ClassTree && isPublic(((ClassTree) type).getModifiers(), false)) {
                        checkType(unit, (ClassTree) type, docs, found);
                    }
                }
            }
        }
        return found;
    }

    private static void checkType(CompilationUnitTree unit, ClassTree type, DocTrees docs, List<String> found) {
        report(unit, type, type.getSimpleName().toString(), docs, found);
        boolean implicitlyPublic = type.getKind() == Tree.Kind.INTERFACE
                || type.getKind() == Tree.Kind.ANNOTATION_TYPE;
        for (Tree member : type.getMembers()) {
            if (member instanceof ClassTree) {
                ClassTree nested = (ClassTree) member;
                if (isPublic(nested.getModifiers(), implicitlyPublic)) {
                    checkType(unit, nested, docs, found);
                }
            } else if (member instanceof MethodTree) {
                MethodTree method = (MethodTree) member;
                boolean generatedConstructor = method.getName().contentEquals("<init>")
                        && docs.getSourcePositions().getStartPosition(unit, method) < 0;
                if (isPublic(method.getModifiers(), implicitlyPublic) && !overrides(method.getModifiers())
                        && !generatedConstructor) {
                    String name = method.getName().contentEquals("<init>") ? type.getSimpleName() + "()"
                            : method.getName().toString();
                    report(unit, method, name, docs, found);
                }
            } else if (member instanceof VariableTree) {
                VariableTree field = (VariableTree) member;
                boolean enumConstant = type.getKind() == Tree.Kind.ENUM
                        && field.getModifiers().getFlags().containsAll(List.of(Modifier.PUBLIC, Modifier.STATIC));
                if (enumConstant || isPublic(field.getModifiers(), implicitlyPublic)) {
                    report(unit, field, field.getName().toString(), docs, found);
                }
            }
        }
    }

    private static boolean isPublic(ModifiersTree modifiers, boolean implicitlyPublic) {
        if (modifiers.getFlags().contains(Modifier.PRIVATE)) {
            return false;
        }
        return implicitlyPublic || modifiers.getFlags().contains(Modifier.PUBLIC)
                || modifiers.getFlags().contains(Modifier.PROTECTED);
    }

    private static boolean overrides(ModifiersTree modifiers) {
        for (AnnotationTree annotation : modifiers.getAnnotations()) {
            String name = annotation.getAnnotationType().toString();
            if (name.equals("Override") || name.equals("java.lang.Override")) {
                return true;
            }
        }
        return false;
    }

    private static void report(CompilationUnitTree unit, Tree member, String name, DocTrees docs, List<String> found) {
        if (docs.getDocCommentTree(TreePath.getPath(unit, member)) != null) {
            return;
        }
        long position = docs.getSourcePositions().getStartPosition(unit, member);
        long line = unit.getLineMap().getLineNumber(position);
        found.add(Path.of(unit.getSourceFile().getName()).getFileName() + ":" + line + " " + name);
    }
}
