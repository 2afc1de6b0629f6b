package io.multiprocessing4j.connection;

import io.multiprocessing4j.internal.transfer.DeserializationRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Connection#recv()} may deserialize: resource limits, which every connection has,
 * and for connections a stranger can reach, a class allow-list. Immutable: each {@code with}/
 * {@code allow} method returns a new policy.
 *
 * <pre>{@code
 * listener.setDeserializationPolicy(DeserializationPolicy.strangers().allowClasses(Point.class));
 * connection.setDeserializationPolicy(DeserializationPolicy.trusted().withMaxDepth(1000));
 * }</pre>
 *
 * <h2>Limits (every connection)</h2>
 * A graph deeper than {@link #maxDepth()} (default {@value #DEFAULT_MAX_DEPTH}: a thread's stack
 * holds about 500 levels of nested maps), or with more than {@link #maxReferences()} objects and
 * references (default 10,000,000), is refused; so is an array longer than what is left of the
 * message could hold (a 40-byte message cannot claim a {@code long[40_000_000]}), and a graph whose
 * collections share members so that hashing them would take far more steps than the message has
 * bytes (nested sets a hundred deep, each holding the same two sets). A stack overflow while
 * deserializing is reported, not thrown. The message itself is bounded by
 * {@link Connection#setMaxMessageSize}.
 *
 * <h2>Classes</h2>
 * {@link #trusted()} admits any class (within the limits): the default of pipes and of
 * connections authenticated with an authkey, whose peer is your own code. {@link #strangers()}
 * admits only the JDK's value types (strings, boxed primitives, {@code BigInteger},
 * {@code BigDecimal}, {@code UUID}, {@code java.time} values), its collections and maps, enums,
 * records and arrays of these, plus what you {@linkplain #allowClasses register}: the default of
 * a {@link Listener} or {@link Client} connection without an authkey, which anyone who can reach
 * the address can use. Java serialization runs code of the classes it creates ({@code readObject}
 * methods, and whatever they call): opening a stranger's connection to every class on your class
 * path ({@link #allowAnyClass()}) lets a stranger pick that code, the route of known remote code
 * execution attacks. Prefer an authkey, or register the few classes you need.
 *
 * <p>On top of a policy: the JVM-wide filter ({@code jdk.serialFilter}) and the connection's own
 * {@link java.io.ObjectInputFilter} (see {@link Connection#setObjectInputFilter}) may each reject;
 * a class the connection's filter explicitly allows passes the allow-list. Every refusal is an
 * {@link java.io.InvalidClassException} or {@link java.io.InvalidObjectException} that says why; the
 * message was consumed whole, so the connection stays usable.
 */
public final class DeserializationPolicy {
    /** The default depth limit. */
    public static final int DEFAULT_MAX_DEPTH = DeserializationRules.DEFAULT_MAX_DEPTH;
    /** The default limit on objects and references in one message. */
    public static final long DEFAULT_MAX_REFERENCES = DeserializationRules.DEFAULT_MAX_REFERENCES;

    private static final DeserializationPolicy TRUSTED = new DeserializationPolicy(DeserializationRules.TRUSTED);
    private static final DeserializationPolicy STRANGERS = new DeserializationPolicy(DeserializationRules.STRANGERS);

    private final DeserializationRules rules;

    private DeserializationPolicy(DeserializationRules rules) {
        this.rules = rules;
    }

    /** Any class, within the default limits: for peers that are your own code. */
    public static DeserializationPolicy trusted() {
        return TRUSTED;
    }

    /** The JDK's value types, collections, enums, records and arrays, within the default limits. */
    public static DeserializationPolicy strangers() {
        return STRANGERS;
    }

    /** This policy, also admitting {@code classes} (and arrays of them). */
    public DeserializationPolicy allowClasses(Class<?>... classes) {
        Set<Class<?>> allowed = new HashSet<>(rules.allowedClasses);
        for (Class<?> type : classes) {
            allowed.add(Objects.requireNonNull(type, "class"));
        }
        return with(rules.maxDepth, rules.maxReferences, rules.restrictClasses, allowed, rules.allowedPackages);
    }

    /** This policy, also admitting every class of the named packages and of their subpackages. */
    public DeserializationPolicy allowPackages(String... packageNames) {
        List<String> allowed = new ArrayList<>(rules.allowedPackages);
        for (String name : packageNames) {
            if (name == null || name.isEmpty() || name.endsWith(".") || name.contains("*")) {
                throw new IllegalArgumentException("not a package name: " + name);
            }
            allowed.add(name);
        }
        return with(rules.maxDepth, rules.maxReferences, rules.restrictClasses, rules.allowedClasses, allowed);
    }

    /**
     * This policy without a class allow-list: any class on the class path, within the limits.
     * On a connection a stranger can reach this lets the stranger choose which classes'
     * deserialization code runs here; see the class comment.
     */
    public DeserializationPolicy allowAnyClass() {
        return with(rules.maxDepth, rules.maxReferences, false, rules.allowedClasses, rules.allowedPackages);
    }

    /** This policy with a depth limit of {@code depth} nested objects. */
    public DeserializationPolicy withMaxDepth(int depth) {
        return with(depth, rules.maxReferences, rules.restrictClasses, rules.allowedClasses, rules.allowedPackages);
    }

    /** This policy with a limit of {@code references} objects and references per message. */
    public DeserializationPolicy withMaxReferences(long references) {
        return with(rules.maxDepth, references, rules.restrictClasses, rules.allowedClasses, rules.allowedPackages);
    }

    /** The depth limit. */
    public int maxDepth() {
        return rules.maxDepth;
    }

    /** The limit on objects and references per message. */
    public long maxReferences() {
        return rules.maxReferences;
    }

    /** Whether classes must be on the allow-list (false: any class). */
    public boolean restrictsClasses() {
        return rules.restrictClasses;
    }

    /** Whether this policy admits {@code type} (ignoring any filter). */
    public boolean allows(Class<?> type) {
        return rules.allows(type);
    }

    DeserializationRules rules() {
        return rules;
    }

    private static DeserializationPolicy with(int depth, long references, boolean restrict, Set<Class<?>> classes,
                                              List<String> packages) {
        return new DeserializationPolicy(new DeserializationRules(depth, references, restrict, classes, packages));
    }

    @Override
    public String toString() {
        return "DeserializationPolicy[depth " + rules.maxDepth + ", references " + rules.maxReferences
                + (rules.restrictClasses ? ", JDK values" + (rules.allowedClasses.isEmpty() ? "" : " + " + rules.allowedClasses)
                + (rules.allowedPackages.isEmpty() ? "" : " + packages " + rules.allowedPackages) : ", any class") + "]";
    }
}
