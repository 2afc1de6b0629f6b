package io.multiprocessing4j.internal.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An {@link ObjectInputStream} whose reads cannot run away: a filter (limits, allow-list; see
 * {@link DeserializationRules}) and a bound on hashing work, and a read that reports every such
 * refusal, and a stack overflow, as an {@link IOException} naming the reason.
 *
 * <p>Why a bound on hashing: nested collections that share their members (a set holding two sets
 * that each hold the same two sets, a hundred levels down) are a small, shallow stream, yet
 * putting the outer one in a hash table computes hash codes over the unfolded tree: 2^100 steps.
 * So each collection, map, map entry and record read is weighed as its elements plus the weights
 * of the nested ones (what a hash code or an equals walks), and the stream is refused once the
 * weights add up to more than its budget, before any parent hashes the heavy value.
 */
public final class LimitedObjectInput extends ObjectInputStream {
    /** Hashing work any stream may do, plus a multiple of its length (a flat graph weighs what it holds). */
    static final long BASE_HASH_BUDGET = 20_000_000L;
    static final long HASH_BUDGET_PER_BYTE = 8;

    private static final ClassValue<Method[]> RECORD_ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            try {
                RecordComponent[] components = type.getRecordComponents();
                Method[] accessors = new Method[components.length];
                for (int i = 0; i < components.length; i++) {
                    accessors[i] = components[i].getAccessor();
                    accessors[i].setAccessible(true);
                }
                return accessors;
            } catch (RuntimeException unreachable) {
                return null; // a record we may not inspect: weighed as one element
            }
        }
    };

    private final long hashBudget;
    private final IdentityHashMap<Object, Long> weights = new IdentityHashMap<>();
    private long hashWork;

    /**
     * Reads from {@code in}, of {@code streamLength} bytes (negative: unknown), under
     * {@code filter} (null: the JVM-wide one only).
     */
    public LimitedObjectInput(InputStream in, long streamLength, ObjectInputFilter filter) throws IOException {
        super(in);
        if (filter != null) {
            setObjectInputFilter(filter);
        }
        this.hashBudget = BASE_HASH_BUDGET + HASH_BUDGET_PER_BYTE * Math.max(0, streamLength);
        enableResolveObject(true);
    }

    /**
     * Reads one object; a filter's refusal, a graph too heavy to hash or too deep for this thread's
     * stack throws an {@link InvalidClassException} or {@link InvalidObjectException} that says why.
     */
    public Object readLimited() throws IOException, ClassNotFoundException {
        try {
            return readObject();
        } catch (InvalidClassException e) {
            if (e.getCause() instanceof DeserializationRules.Rejection) {
                InvalidClassException named = new InvalidClassException("deserialization refused: "
                        + e.getCause().getMessage());
                named.initCause(e);
                throw named;
            }
            throw e;
        } catch (StackOverflowError e) {
            InvalidObjectException tooDeep = new InvalidObjectException("deserialization refused: the object graph is"
                    + " too deep for this thread's stack");
            tooDeep.initCause(e);
            throw tooDeep;
        }
    }

    @Override
    protected Object resolveObject(Object object) throws IOException {
        long weight = weigh(object);
        if (weight > 1) {
            weights.put(object, weight);
            hashWork += weight;
            if (hashWork > hashBudget || weight < 0) {
                throw new InvalidObjectException("deserialization refused: its collections nest and share so much that"
                        + " hashing them would take more than " + hashBudget + " steps (a hash-code bomb?)");
            }
        }
        return object;
    }

    /** What a hash code or equals of {@code object} walks: 1, or for a container its unfolded size. */
    private long weigh(Object object) {
        try {
            if (object instanceof Collection) {
                long weight = 1;
                for (Object element : (Collection<?>) object) {
                    weight = add(weight, element);
                }
                return weight;
            }
            if (object instanceof Map) {
                long weight = 1;
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) object).entrySet()) {
                    weight = add(add(weight, entry.getKey()), entry.getValue());
                }
                return weight;
            }
            if (object instanceof Map.Entry) {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) object;
                return add(add(1, entry.getKey()), entry.getValue());
            }
            if (object != null && object.getClass().isRecord()) {
                Method[] accessors = RECORD_ACCESSORS.get(object.getClass());
                if (accessors == null) {
                    return 1;
                }
                long weight = 1;
                for (Method accessor : accessors) {
                    weight = add(weight, accessor.invoke(object));
                }
                return weight;
            }
        } catch (ReflectiveOperationException | RuntimeException cannotWalk) {
            return 1; // a container that cannot be walked here cannot be walked by a hash code either
        }
        return 1;
    }

    private long add(long weight, Object element) {
        Long known = null;
        if (element != null && !weights.isEmpty() && !(element instanceof String) && !(element instanceof Number)) {
            known = weights.get(element); // only containers are there; a string or number never is
        }
        long sum = weight + (known != null ? known : 1);
        return sum < 0 ? Long.MAX_VALUE : Math.min(sum, Long.MAX_VALUE / 2);
    }
}
