package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.manager.RegisteredRef;
import io.multiprocessing4j.internal.manager.Response;
import io.multiprocessing4j.internal.manager.ServerFailures;
import io.multiprocessing4j.internal.manager.SharedKind;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;

/**
 * The proxy of an object of a registered type (Python's {@code BaseProxy} made by
 * {@code AutoProxy}): a {@link Proxy} implementing the registered interface, whose every method
 * (but {@code Object}'s) is one round trip to the server, over a connection of the calling
 * thread's own (so a method that takes long there holds up no other thread's calls), with the
 * arguments and the result travelling by value, as in Python. A method the registration marked answers a proxy of the
 * other type instead. An exception thrown in the server arrives as its own type: a runtime
 * exception or error always, a checked one if the method declares it (otherwise wrapped in an
 * {@link UndeclaredThrowableException}).
 */
final class RegisteredProxy implements InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;

    private final transient ProxyHandle handle;
    private final transient Class<?> iface;

    private RegisteredProxy(ProxyHandle handle, Class<?> iface) {
        this.handle = handle;
        this.iface = iface;
    }

    /** A proxy implementing {@code iface} for the object of {@code handle}. */
    static <T> T of(ProxyHandle handle, Class<T> iface) {
        if (!iface.isInterface()) {
            throw new IllegalArgumentException(iface.getName() + " is not an interface: a registered type is used through one");
        }
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, handler(handle, iface)));
    }

    /**
     * The handler of a new proxy. The Cleaner watches the handler, not the proxy: a deserialized
     * proxy gets the handler its token resolves to, inside a proxy instance made by the stream.
     */
    static RegisteredProxy handler(ProxyHandle handle, Class<?> iface) {
        RegisteredProxy handler = new RegisteredProxy(handle, iface);
        handle.watch(handler);
        return handler;
    }

    /** The interface named {@code name}, loaded where the caller's classes are. */
    static Class<?> load(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, loader != null ? loader : RegisteredProxy.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a proxy of a manager's object needs its interface " + name
                    + " on this process's class path", e);
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            switch (method.getName()) {
                case "equals": return proxy == args[0];
                case "hashCode": return System.identityHashCode(proxy);
                default: return iface.getSimpleName() + "Proxy[" + handle.id() + " at " + handle.address() + "]";
            }
        }
        String[] parameterTypes = Arrays.stream(method.getParameterTypes()).map(Class::getName).toArray(String[]::new);
        // over a connection of this thread's own: the method may take long in the server
        Response response = handle.requestOwn("invoke", method.getName(), parameterTypes, args == null ? new Object[0] : args);
        if (response.failure() != null) {
            Throwable checked = ServerFailures.checkedOfRegistered(response.failure());
            if (checked == null) {
                throw ServerFailures.inCaller(response.failure());
            }
            for (Class<?> declared : method.getExceptionTypes()) {
                if (declared.isInstance(checked)) {
                    throw ServerFailures.sameKind(checked);
                }
            }
            throw new UndeclaredThrowableException(checked, "the manager's object threw " + checked);
        }
        Object result = response.result();
        if (result instanceof RegisteredRef) {
            RegisteredRef ref = (RegisteredRef) result;
            return of(ProxyHandle.adopt(handle, SharedKind.REGISTERED, ref.id()), load(ref.iface()));
        }
        return result;
    }

    private Object writeReplace() {
        return new ProxyToken(handle, iface.getName());
    }
}
