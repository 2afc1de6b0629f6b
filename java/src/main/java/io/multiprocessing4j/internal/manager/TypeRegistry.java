package io.multiprocessing4j.internal.manager;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The types a user registered for a manager (Python's {@code BaseManager.register}): for each
 * type id, the interface whose methods clients may call, the factory that makes objects of it in
 * the server, and which methods answer a proxy of another registered type instead of a value
 * (Python's {@code method_to_typeid}). It travels to the server with its target, so factories
 * must be serializable.
 */
public final class TypeRegistry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One registered type. */
    public record Registration(String typeId, Class<?> iface, Supplier<?> factory, Map<String, String> methodToTypeId)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final Map<String, Registration> types = new LinkedHashMap<>();

    /** Registers {@code typeId} (replacing an earlier registration of it). */
    public void register(Registration registration) {
        types.put(registration.typeId(), registration);
    }

    /** The registration of {@code typeId}; {@link IllegalArgumentException} if there is none. */
    Registration get(String typeId) {
        Registration registration = types.get(typeId);
        if (registration == null) {
            throw new IllegalArgumentException("the manager has no type registered as '" + typeId
                    + "' (registered: " + types.keySet() + ")");
        }
        return registration;
    }

    /** A copy, so that later registrations do not change a manager already started. */
    public TypeRegistry copy() {
        TypeRegistry copy = new TypeRegistry();
        copy.types.putAll(types);
        return copy;
    }
}
