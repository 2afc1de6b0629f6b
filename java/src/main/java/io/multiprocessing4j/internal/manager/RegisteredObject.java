package io.multiprocessing4j.internal.manager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * An object of a registered type in the server. Only the methods of the registered interface
 * can be called (by name and parameter types, looked up there, never on the object's class), and
 * the call is not synchronized by the server, as in Python: the object guards its own state. A
 * method listed in the registration's {@code methodToTypeId} keeps its result in the server, as
 * an object of that type, and answers a {@link RegisteredRef} to it.
 */
final class RegisteredObject implements ServerObject {
    private final TypeRegistry.Registration registration;
    private final Object target;
    private final ObjectTable table;

    RegisteredObject(TypeRegistry.Registration registration, Object target, ObjectTable table) {
        this.registration = registration;
        this.target = target;
        this.table = table;
    }

    @Override
    public Object apply(String operation, Object[] args, Caller caller) {
        if (!"invoke".equals(operation)) {
            throw SharedKind.unknown(operation);
        }
        String name = (String) args[0];
        String[] parameterTypes = (String[]) args[1];
        Object[] arguments = (Object[]) args[2];
        Method method = exposed(name, parameterTypes);
        Object result;
        try {
            result = method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            Throwable thrown = e.getCause();
            if (thrown instanceof RuntimeException) {
                throw (RuntimeException) thrown;
            }
            if (thrown instanceof Error) {
                throw (Error) thrown;
            }
            throw new RegisteredFailure(thrown);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method + " on " + target.getClass().getName()
                    + " (is the class public?): " + e, e);
        }
        String typeId = registration.methodToTypeId().get(name);
        if (typeId == null) {
            return result;
        }
        TypeRegistry.Registration resultType = table.registry().get(typeId);
        long id = table.adopt(SharedKind.REGISTERED, new RegisteredObject(resultType, result, table), caller.referenceOwner());
        return new RegisteredRef(typeId, resultType.iface().getName(), id);
    }

    private Method exposed(String name, String[] parameterTypes) {
        for (Method method : registration.iface().getMethods()) {
            if (method.getName().equals(name) && Arrays.equals(parameterTypes,
                    Arrays.stream(method.getParameterTypes()).map(Class::getName).toArray(String[]::new))) {
                method.trySetAccessible(); // the interface may be package-private: it was named by its owner
                return method;
            }
        }
        throw new UnsupportedOperationException("'" + registration.typeId() + "' exposes no method " + name
                + Arrays.toString(parameterTypes) + " (only those of " + registration.iface().getName() + ")");
    }

    /** A checked exception of a registered method, carried to the caller to be thrown there as itself. */
    static final class RegisteredFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RegisteredFailure(Throwable checked) {
            super(checked.toString(), checked);
        }
    }
}
