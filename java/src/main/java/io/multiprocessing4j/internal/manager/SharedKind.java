package io.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kinds of object a manager's server holds, and what each does with an operation. Each
 * operation is one JDK call on the server's object (the server holds the object's monitor
 * meanwhile), so a proxy method costs one round trip and its exceptions are the JDK's.
 */
public enum SharedKind {
    /** Python's {@code list}: an {@link ArrayList}. */
    LIST {
        @Override
        Object create(Object initial) {
            return initial == null ? new ArrayList<>() : new ArrayList<>((Collection<?>) initial);
        }

        @Override
        @SuppressWarnings("unchecked")
        Object apply(Object target, String operation, Object[] args) {
            List<Object> list = (List<Object>) target;
            switch (operation) {
                case "size": return list.size();
                case "get": return list.get((Integer) args[0]);
                case "set": return list.set((Integer) args[0], args[1]);
                case "add": return list.add(args[0]);
                case "insert": list.add((Integer) args[0], args[1]); return null;
                case "removeAt": return list.remove((int) (Integer) args[0]);
                case "remove": return list.remove(args[0]);
                case "addAll": return list.addAll((Collection<?>) args[0]);
                case "insertAll": return list.addAll((Integer) args[0], (Collection<?>) args[1]);
                case "removeAll": return list.removeAll((Collection<?>) args[0]);
                case "retainAll": return list.retainAll((Collection<?>) args[0]);
                case "clear": list.clear(); return null;
                case "contains": return list.contains(args[0]);
                case "indexOf": return list.indexOf(args[0]);
                case "lastIndexOf": return list.lastIndexOf(args[0]);
                case "copy": return new ArrayList<>(list);
                case "toString": return list.toString();
                case "hashCode": return list.hashCode();
                default: throw unknown(operation);
            }
        }
    },
    /** Python's {@code dict}: a {@link LinkedHashMap}, which keeps insertion order as a dict does. */
    DICT {
        @Override
        Object create(Object initial) {
            return initial == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<?, ?>) initial);
        }

        @Override
        @SuppressWarnings("unchecked")
        Object apply(Object target, String operation, Object[] args) {
            Map<Object, Object> map = (Map<Object, Object>) target;
            switch (operation) {
                case "size": return map.size();
                case "get": return map.get(args[0]);
                case "getOrDefault": return map.getOrDefault(args[0], args[1]);
                case "put": return map.put(args[0], args[1]);
                case "putIfAbsent": return map.putIfAbsent(args[0], args[1]);
                case "remove": return map.remove(args[0]);
                case "containsKey": return map.containsKey(args[0]);
                case "containsValue": return map.containsValue(args[0]);
                case "putAll": map.putAll((Map<?, ?>) args[0]); return null;
                case "clear": map.clear(); return null;
                case "copy": return new LinkedHashMap<>(map);
                case "toString": return map.toString();
                case "hashCode": return map.hashCode();
                default: throw unknown(operation);
            }
        }
    },
    /** Python's {@code Namespace}: named attributes, in the order they were first set. */
    NAMESPACE {
        @Override
        Object create(Object initial) {
            return new LinkedHashMap<String, Object>();
        }

        @Override
        @SuppressWarnings("unchecked")
        Object apply(Object target, String operation, Object[] args) {
            Map<String, Object> attributes = (Map<String, Object>) target;
            switch (operation) {
                case "get": return attributes.get(existing(attributes, (String) args[0]));
                case "set": attributes.put((String) args[0], args[1]); return null;
                case "delete": attributes.remove(existing(attributes, (String) args[0])); return null;
                case "contains": return attributes.containsKey((String) args[0]);
                case "copy": return new LinkedHashMap<>(attributes);
                case "toString":
                    StringJoiner text = new StringJoiner(", ", "Namespace(", ")");
                    attributes.forEach((name, value) -> text.add(name + "=" + value));
                    return text.toString();
                default: throw unknown(operation);
            }
        }
    },
    /** Python's {@code Value} of a manager (a {@code ValueProxy}): one value of any type. */
    VALUE {
        @Override
        Object create(Object initial) {
            return new AtomicReference<>(initial);
        }

        @Override
        @SuppressWarnings("unchecked")
        Object apply(Object target, String operation, Object[] args) {
            AtomicReference<Object> cell = (AtomicReference<Object>) target;
            switch (operation) {
                case "get": return cell.get();
                case "set": cell.set(args[0]); return null;
                case "toString": return "Value(" + cell.get() + ")";
                default: throw unknown(operation);
            }
        }
    },
    /** Python's {@code Value(typecode, value)} with its type kept; initial: {type, value}. */
    TYPED_VALUE {
        @Override
        Object create(Object initial) {
            Object[] typeAndValue = (Object[]) initial;
            return new ServerTypedValue((Class<?>) typeAndValue[0], typeAndValue[1]);
        }
    },
    /** Python's {@code Lock}. */
    LOCK {
        @Override
        Object create(Object initial) {
            return new ServerLock(false);
        }
    },
    /** Python's {@code RLock}. */
    RLOCK {
        @Override
        Object create(Object initial) {
            return new ServerLock(true);
        }
    },
    /** Python's {@code Semaphore(value)}; initial: the value. */
    SEMAPHORE {
        @Override
        Object create(Object initial) {
            return new ServerSemaphore((Integer) initial, false);
        }
    },
    /** Python's {@code BoundedSemaphore(value)}; initial: the value. */
    BOUNDED_SEMAPHORE {
        @Override
        Object create(Object initial) {
            return new ServerSemaphore((Integer) initial, true);
        }
    },
    /** Python's {@code Condition(lock)}; initial: a {@link ServerLock} (the table resolves the lock's id). */
    CONDITION {
        @Override
        Object create(Object initial) {
            return new ServerCondition(initial == null ? new ServerLock(true) : (ServerLock) initial);
        }
    },
    /** Python's {@code Event}. */
    EVENT {
        @Override
        Object create(Object initial) {
            return new ServerEvent();
        }
    },
    /** Python's {@code Barrier(parties)}; initial: the parties. */
    BARRIER {
        @Override
        Object create(Object initial) {
            return new ServerBarrier((Integer) initial);
        }
    },
    /** Python's {@code Queue(maxsize)}; initial: the maxsize. */
    QUEUE {
        @Override
        Object create(Object initial) {
            return new ServerQueue((Integer) initial);
        }
    },
    /** Python's {@code JoinableQueue(maxsize)}; initial: the maxsize. */
    JOINABLE_QUEUE {
        @Override
        Object create(Object initial) {
            return new ServerQueue((Integer) initial);
        }
    },
    /** Python's {@code Array(typecode, sequence)}; initial: {element class, list of elements}. */
    ARRAY {
        @Override
        Object create(Object initial) {
            Object[] typeAndElements = (Object[]) initial;
            return new ServerArray((Class<?>) typeAndElements[0], (java.util.List<?>) typeAndElements[1]);
        }
    },
    /** Python's {@code Pool(processes)} of a manager; initial: the processes (0: one per CPU). */
    POOL {
        @Override
        Object create(Object initial) {
            return new ServerPool((Integer) initial);
        }
    },
    /** An object of a type the user registered; created by the table, which knows the registry. */
    REGISTERED {
        @Override
        Object create(Object initial) {
            throw new IllegalStateException("registered objects are made by their factory");
        }
    };

    /** The server's object of this kind, holding {@code initial} (a collection, map or value; null: empty). */
    abstract Object create(Object initial);

    /**
     * Runs {@code operation} on {@code target} (an object {@link #create} made) and returns its
     * result; kinds whose objects are {@link ServerObject}s are called through those instead.
     */
    Object apply(Object target, String operation, Object[] args) {
        throw unknown(operation);
    }

    /** {@code name}, if the namespace has that attribute; otherwise Python's AttributeError as Java's. */
    private static String existing(Map<String, Object> attributes, String name) {
        if (!attributes.containsKey(name)) {
            throw new NoSuchElementException("'Namespace' object has no attribute '" + name + "'");
        }
        return name;
    }

    static UnsupportedOperationException unknown(String operation) {
        return new UnsupportedOperationException("no operation '" + operation + "' on a shared object");
    }
}
