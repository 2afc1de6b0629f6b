package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.ProcessStartException;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path a child JVM gets, as CPython's spawn hands its child the parent's {@code sys.path}.
 * By default it is this JVM's {@code java.class.path}, which is right wherever the library and the
 * target's classes come from the application class loader. Where they come from a class loader of
 * their own (Maven's {@code exec:java}, a plugin host, a server that loads each application apart),
 * a child given that path could load neither its entry point nor its target: so the path is made
 * from {@code java.class.path} followed by the directories and jars of those loaders (the
 * library's, the target's, then the starting thread's context class loader, where a pool's
 * functions come from), outermost loader first. The child sees one flat class path: where the parent's loaders kept one set of classes
 * apart from another, a context's configured class path says what children get instead.
 *
 * <p>Jars and classes nested in an executable jar (Spring Boot's) are copied out once into the
 * cache ({@link NestedJars}), and the child's class path names the copies. A loader whose code
 * cannot be named as a class path entry even so (not a {@link URLClassLoader}, or a URL of another
 * kind) fails the start at once, saying so and what to do, instead of a child that fails to find
 * its main class.
 */
public final class ChildClassPath {
    private ChildClassPath() {
    }

    /**
     * {@code context} as a child of a target of {@code targetType} must be started with: itself
     * when its class path is configured or the default one holds what the child needs; otherwise
     * with the class path described above.
     */
    public static LaunchSettings settingsFor(LaunchSettings context, Class<?> targetType) {
        if (context.hasCustomClassPath()) {
            return context;
        }
        ClassLoader library = ChildClassPath.class.getClassLoader();
        ClassLoader target = targetType.getClassLoader();
        // The context loader counts too: a pool's worker target is the library's, its functions the caller's.
        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        if (onApplicationPath(library) && onApplicationPath(target) && onApplicationPath(contextLoader)) {
            return context; // the usual case: three comparisons
        }
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        String targetName = targetType.getName();
        int lambda = targetName.indexOf("$$Lambda");
        String declaring = lambda > 0 ? targetName.substring(0, lambda) : targetName;
        if (!onApplicationPath(target) && !fromAFile(target.getResource(declaring.replace('.', '/') + ".class"))) {
            throw definedInMemory(declaring, target);
        }
        // The library's first: then a target of the library (a pool's worker) and one of the
        // caller's own loader get the same path, so the same spares and the same archive.
        addLoaders(entries, library, true, "multiprocessing4j");
        addLoaders(entries, target, true, declaring);
        addLoaders(entries, contextLoader, false, null);
        return context.withClassPath(String.join(File.pathSeparator, entries));
    }

    /** Whether classes of {@code loader} are found through java.class.path: the app loader or one it delegates to. */
    private static boolean onApplicationPath(ClassLoader loader) {
        for (ClassLoader system = ClassLoader.getSystemClassLoader(); system != null; system = system.getParent()) {
            if (loader == system) {
                return true;
            }
        }
        return loader == null; // the boot loader: the JDK's own classes
    }

    /**
     * Adds the entries of {@code loader} and of its parents that the application loader does not
     * cover, outermost first. A loader whose entries cannot be named fails the start if
     * {@code required} (the code of {@code what} comes from it), and is passed over otherwise.
     */
    private static void addLoaders(Set<String> entries, ClassLoader loader, boolean required, String what) {
        List<ClassLoader> own = new ArrayList<>();
        for (ClassLoader current = loader; !onApplicationPath(current); current = current.getParent()) {
            own.add(0, current);
        }
        for (ClassLoader current : own) {
            List<String> paths;
            try {
                paths = pathsOf(current);
            } catch (ProcessStartException e) {
                if (required) {
                    throw e;
                }
                continue; // a context class loader's jars that cannot be copied out: only a help lost
            }
            if (paths != null) {
                entries.addAll(paths);
            } else if (required) {
                throw unreachable(current, what);
            }
        }
    }

    /** The local files {@code loader} reads classes from, or null if it has others or does not say. */
    private static List<String> pathsOf(ClassLoader loader) {
        if (!(loader instanceof URLClassLoader)) {
            return null;
        }
        List<String> paths = new ArrayList<>();
        for (URL url : ((URLClassLoader) loader).getURLs()) {
            if ("jar".equals(url.getProtocol())) { // a jar or classes nested in an executable jar
                String copy;
                try {
                    copy = NestedJars.localCopy(url);
                } catch (IOException e) {
                    throw new ProcessStartException("cannot copy " + url + " out of its jar for a child's class path: "
                            + e, e);
                }
                if (copy == null) {
                    return null;
                }
                paths.add(copy);
                continue;
            }
            if (!"file".equals(url.getProtocol())) {
                return null;
            }
            try {
                paths.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                return null;
            }
        }
        return paths;
    }

    /** Whether a class file's resource is in a directory or a jar (JShell's loader answers "jshell:" URLs). */
    private static boolean fromAFile(URL classFile) {
        return classFile != null && ("file".equals(classFile.getProtocol()) || "jar".equals(classFile.getProtocol()));
    }

    /**
     * A class its loader defined from bytes it holds, not from a file (a JShell snippet, generated
     * code): no class path can give it to a child, as no child of Python's interactive interpreter
     * can import what was typed there.
     */
    private static ProcessStartException definedInMemory(String className, ClassLoader loader) {
        String origin = className.startsWith("REPL.") ? "a JShell snippet" : "code generated at run time";
        return new ProcessStartException("a child JVM could not load " + className + ": class loader " + loader
                + " defined it in memory (" + origin + "), not from a file a child's class path could name. As in"
                + " Python's interactive interpreter, whose children cannot import what was defined there, put"
                + " the target in a class on the class path, or give the context a class path that holds it:"
                + " ProcessContext.builder().classPath(...)");
    }

    private static ProcessStartException unreachable(ClassLoader loader, String what) {
        String urls = loader instanceof URLClassLoader ? List.of(((URLClassLoader) loader).getURLs()).toString() : "";
        String message = "a child JVM could not load " + what + ": it comes from class loader " + loader
                + (urls.isEmpty() ? "" : " " + urls) + ", whose code no class path can name; give the context the"
                + " class path its children need: ProcessContext.builder().classPath(...)";
        return new ProcessStartException(message);
    }
}
