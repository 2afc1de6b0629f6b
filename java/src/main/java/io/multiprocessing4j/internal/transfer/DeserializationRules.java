package io.multiprocessing4j.internal.transfer;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a deserialization may do: resource limits, which every stream gets, and optionally a class
 * allow-list (for endpoints a stranger can reach). Immutable; the public face is
 * {@code connection.DeserializationPolicy}.
 *
 * <p>The filter it makes for one stream ({@link #filter}) rejects, in this order: a graph deeper
 * than {@link #maxDepth}; more than {@link #maxReferences} objects and references; an array whose
 * elements could not fit in what is left of the stream (each element takes at least one byte, a
 * primitive its size), so a few bytes cannot claim a huge array; anything the JVM-wide filter
 * ({@code jdk.serialFilter}) or the caller's filter rejects; and, with an allow-list, every class
 * that neither the list nor the caller's filter allows. A rejection names its reason.
 */
public final class DeserializationRules {
    public static final int DEFAULT_MAX_DEPTH = 200;
    public static final long DEFAULT_MAX_REFERENCES = 10_000_000L;
    /** The rules of private channels and authenticated peers: limits, any class. */
    public static final DeserializationRules TRUSTED = new DeserializationRules(DEFAULT_MAX_DEPTH,
            DEFAULT_MAX_REFERENCES, false, Set.of(), List.of());
    /**
     * The rules of the library's own channels, which have no setting of their own (a child's
     * target, pool tasks and results, queue messages): any class, and limits that only stop what
     * could not have worked (a graph this deep overflows a thread's stack anyway, and is reported
     * as such), so that what travelled before still does.
     */
    public static final DeserializationRules PRIVATE = new DeserializationRules(10_000, 100_000_000L, false,
            Set.of(), List.of());
    /** The rules of endpoints a stranger can reach: limits, and the JDK's value types only. */
    public static final DeserializationRules STRANGERS = new DeserializationRules(DEFAULT_MAX_DEPTH,
            DEFAULT_MAX_REFERENCES, true, Set.of(), List.of());
    /** Bytes an array may claim beyond what is left of the stream (what the stream reader has buffered ahead). */
    private static final long ARRAY_SLACK = 8192;

    public final int maxDepth;
    public final long maxReferences;
    public final boolean restrictClasses;
    public final Set<Class<?>> allowedClasses;
    /** Package names; each allows the package and its subpackages. */
    public final List<String> allowedPackages;

    public DeserializationRules(int maxDepth, long maxReferences, boolean restrictClasses, Set<Class<?>> allowedClasses,
                                List<String> allowedPackages) {
        if (maxDepth < 1 || maxReferences < 1) {
            throw new IllegalArgumentException("limits must be positive: depth " + maxDepth + ", references "
                    + maxReferences);
        }
        this.maxDepth = maxDepth;
        this.maxReferences = maxReferences;
        this.restrictClasses = restrictClasses;
        this.allowedClasses = Collections.unmodifiableSet(new HashSet<>(allowedClasses));
        this.allowedPackages = Collections.unmodifiableList(new ArrayList<>(allowedPackages));
    }

    /** Whether {@code type} may be deserialized under the allow-list (ignoring the caller's filter). */
    public boolean allows(Class<?> type) {
        if (!restrictClasses) {
            return true;
        }
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element.isPrimitive() || allowedClasses.contains(element) || JdkValueTypes.contains(element)) {
            return true;
        }
        String name = element.getName();
        for (String prefix : allowedPackages) {
            if (name.startsWith(prefix) && name.length() > prefix.length() && name.charAt(prefix.length()) == '.') {
                return true;
            }
        }
        return false;
    }

    /**
     * The filter for one stream of {@code streamLength} bytes (negative: unknown), combining these
     * rules with the JVM-wide filter and {@code callerFilter} (may be null).
     */
    public ObjectInputFilter filter(long streamLength, ObjectInputFilter callerFilter) {
        return info -> check(info, streamLength, callerFilter);
    }

    private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info, long streamLength,
                                           ObjectInputFilter callerFilter) {
        if (info.depth() > maxDepth) {
            throw new Rejection("the object graph is deeper than the limit of " + maxDepth
                    + " (DeserializationPolicy.withMaxDepth)");
        }
        if (info.references() > maxReferences) {
            throw new Rejection("the object graph has more than the limit of " + maxReferences
                    + " objects and references (DeserializationPolicy.withMaxReferences)");
        }
        Class<?> type = info.serialClass();
        long length = info.arrayLength();
        if (length >= 0 && streamLength >= 0 && type != null) {
            long left = Math.max(0, streamLength - info.streamBytes()) + ARRAY_SLACK;
            Class<?> component = type.getComponentType();
            // a reference element takes one byte at least (null); HashMap's table may be twice its entries
            long needed = component == null || !component.isPrimitive() ? length / 2 : length * primitiveSize(component);
            if (needed > left) {
                throw new Rejection("an array of " + length + " " + (component == null ? "elements" : component.getName())
                        + " cannot fit in the " + Math.max(0, streamLength - info.streamBytes())
                        + " bytes left of the message");
            }
        }
        ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
        if (jvmWide != null && jvmWide != callerFilter
                && jvmWide.checkInput(info) == ObjectInputFilter.Status.REJECTED) {
            throw new Rejection("rejected by the JVM-wide filter (jdk.serialFilter)" + named(type));
        }
        boolean callerAllows = false;
        if (callerFilter != null) {
            ObjectInputFilter.Status status = callerFilter.checkInput(info);
            if (status == ObjectInputFilter.Status.REJECTED) {
                throw new Rejection("REJECTED by the connection's ObjectInputFilter" + named(type));
            }
            callerAllows = status == ObjectInputFilter.Status.ALLOWED;
        }
        if (type != null && !callerAllows && !allows(type)) {
            throw new Rejection("class " + type.getName() + " is not on the allow-list of this endpoint, which"
                    + " strangers can reach: register it (DeserializationPolicy.allowClasses/allowPackages)"
                    + " or authenticate the peer with an authkey");
        }
        return callerAllows ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.UNDECIDED;
    }

    private static String named(Class<?> type) {
        return type == null ? "" : ": " + type.getName();
    }

    private static long primitiveSize(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == char.class || type == short.class) {
            return 2;
        }
        return 1;
    }

    /**
     * Why a filter rejected: ObjectInputStream turns it into an InvalidClassException with this as
     * its cause, and {@link LimitedObjectInput} puts the reason in the message.
     */
    public static final class Rejection extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rejection(String reason) {
            super(reason, null, false, false);
        }
    }
}
