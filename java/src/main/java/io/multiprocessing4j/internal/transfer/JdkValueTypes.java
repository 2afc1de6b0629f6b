package io.multiprocessing4j.internal.transfer;

import java.util.Set;

/**
 * The classes a stranger may send without registration: the JDK's value types and collections,
 * a connection passed on, enums and records (which deserialize through their constants and canonical constructors, not
 * through a readObject of their own), and arrays of these. Only classes whose deserialization
 * runs no code beyond building the value: no class that holds a function, a proxy or a stream.
 */
final class JdkValueTypes {
    private static final Set<String> NAMES = Set.of(
            "java.lang.Object", // as an array's element type only: an Object itself is not serializable
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Short",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number",
            "java.lang.Enum",
            "java.math.BigInteger", "java.math.BigDecimal",
            "java.util.UUID", "java.util.Date", "java.util.BitSet", "java.util.Locale", "java.util.Currency",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.Vector",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Hashtable",
            "java.util.IdentityHashMap", "java.util.EnumMap", "java.util.HashSet", "java.util.LinkedHashSet",
            "java.util.TreeSet", "java.util.PriorityQueue", "java.util.EnumSet$SerializationProxy",
            "java.util.RegularEnumSet", "java.util.JumboEnumSet",
            "java.util.AbstractMap$SimpleEntry", "java.util.AbstractMap$SimpleImmutableEntry",
            "java.util.CollSer", "java.util.Arrays$ArrayList",
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableSet",
            "java.util.Collections$UnmodifiableSortedSet", "java.util.Collections$UnmodifiableNavigableSet",
            "java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableSortedMap",
            "java.util.Collections$UnmodifiableNavigableMap",
            "java.util.Collections$SynchronizedCollection", "java.util.Collections$SynchronizedList",
            "java.util.Collections$SynchronizedRandomAccessList", "java.util.Collections$SynchronizedSet",
            "java.util.Collections$SynchronizedMap",
            "java.util.Collections$EmptyList", "java.util.Collections$EmptySet", "java.util.Collections$EmptyMap",
            "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet",
            "java.util.Collections$SingletonMap", "java.util.Collections$ReverseComparator",
            "java.lang.String$CaseInsensitiveComparator",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Segment",
            "java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantLock$Sync",
            "java.util.concurrent.locks.ReentrantLock$NonfairSync",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractOwnableSynchronizer",
            "java.util.concurrent.CopyOnWriteArrayList", "java.util.concurrent.ConcurrentLinkedQueue",
            "java.util.concurrent.ConcurrentLinkedDeque", "java.util.concurrent.ConcurrentSkipListMap",
            "java.util.concurrent.ConcurrentSkipListSet",
            "java.time.Ser", "java.time.zone.Ser", "java.time.chrono.Ser",
            // a connection passed on (SCM_RIGHTS): the fd the peer sent, opened as a Connection
            "io.multiprocessing4j.connection.Connection$Transferred", "io.multiprocessing4j.connection.Connection");
    /**
     * Classes a proxy above resolves to (the filter sees them too): List.of and friends, and the
     * java.time values.
     */
    private static final String[] PREFIXES = {"java.util.ImmutableCollections$", "java.time."};

    private JdkValueTypes() {
    }

    static boolean contains(Class<?> type) {
        if (type.isEnum() || (type.getSuperclass() != null && type.getSuperclass().isEnum()) || type.isRecord()
                || NAMES.contains(type.getName())) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (type.getName().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
