package io.multiprocessing4j.internal.transfer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * A compact wire form for the commonest target: a serializable lambda or method reference that
 * captures only plain values (null, boxed primitives, strings, primitive arrays).
 *
 * <p>Why: in a freshly started JVM, the first {@link ObjectInputStream} costs about 25 ms
 * (its serial-filter configuration reads the security properties and looks up a logger), which
 * would be most of a child's start. This form carries the {@link SerializedLambda}'s fields as
 * plain data. For the library's own interfaces (a target, a pool's tasks), the child then simply
 * calls the lambda's implementation method with the captured values ({@link DirectLambdas}); any
 * other interface, or a method it cannot reach, is rebuilt through the capturing class's
 * {@code $deserializeLambda$}, which
 * checks it exactly as Java serialization would.
 *
 * <p>A target may also capture the library's {@link CarriedFd}s (a pool's worker carries its end
 * of the socketpair to its pool): each travels as the index of its fd, which goes beside the
 * target in the {@link FdTransfer} of the start. Anything else (other captured objects, a process
 * subclass, fd-carrying objects of the API such as connections) takes Java serialization.
 */
public final class LambdaCodec {
    private static final int MAGIC = 0x4c414d42; // "LAMB"

    private static final byte NULL = 0;
    private static final byte BOOLEAN = 1;
    private static final byte BYTE = 2;
    private static final byte SHORT = 3;
    private static final byte CHAR = 4;
    private static final byte INT = 5;
    private static final byte LONG = 6;
    private static final byte FLOAT = 7;
    private static final byte DOUBLE = 8;
    private static final byte STRING = 9;
    private static final byte BYTES = 10;
    private static final byte INTS = 11;
    private static final byte LONGS = 12;
    private static final byte DOUBLES = 13;
    private static final byte CARRIED_FD = 14;

    /** The lambda class's writeReplace, or null where it has none we may call. */
    private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            if (!type.isSynthetic()) {
                return null;
            }
            try {
                Method method = type.getDeclaredMethod("writeReplace");
                method.setAccessible(true);
                return method;
            } catch (NoSuchMethodException | RuntimeException notALambdaWeMayRead) {
                return null;
            }
        }
    };

    private LambdaCodec() {
    }

    /** The compact form of {@code target}, or null if it must take Java serialization. */
    public static byte[] encode(Object target) {
        try {
            return encode(target, null);
        } catch (NotSerializableException impossible) {
            throw new IllegalStateException(impossible); // nothing is exported without a transfer
        }
    }

    /**
     * The compact form of {@code target}, whose captured {@link CarriedFd}s export their fds to
     * {@code fds} (none may be captured where it is null); or null, having exported nothing, if
     * it must take Java serialization. Throws if a carried fd is closed.
     */
    public static byte[] encode(Object target, FdTransfer fds) throws NotSerializableException {
        SerializedLambda lambda = serializedForm(target);
        if (lambda == null) {
            return null;
        }
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            Object value = lambda.getCapturedArg(i);
            if (!isPlain(value) && !(fds != null && value instanceof CarriedFd)) {
                return null;
            }
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            writeString(out, lambda.getCapturingClass());
            writeString(out, lambda.getFunctionalInterfaceClass());
            writeString(out, lambda.getFunctionalInterfaceMethodName());
            writeString(out, lambda.getFunctionalInterfaceMethodSignature());
            out.writeInt(lambda.getImplMethodKind());
            writeString(out, lambda.getImplClass());
            writeString(out, lambda.getImplMethodName());
            writeString(out, lambda.getImplMethodSignature());
            writeString(out, lambda.getInstantiatedMethodType());
            out.writeInt(lambda.getCapturedArgCount());
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                writeValue(out, lambda.getCapturedArg(i), fds);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (NotSerializableException closed) {
            throw closed;
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * What a lambda that {@link #decode} rebuilt captured, for a rehearsal to close the carried
     * fds it rebuilt; empty for anything else.
     */
    public static Object[] capturedBy(Object decoded) {
        SerializedLambda lambda = decoded instanceof DirectLambdas.Direct
                ? ((DirectLambdas.Direct) decoded).call.original : serializedForm(decoded);
        if (lambda == null) {
            return new Object[0];
        }
        Object[] captured = new Object[lambda.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = lambda.getCapturedArg(i);
        }
        return captured;
    }

    /** A serializable lambda's serialized form, or null for anything else. */
    private static SerializedLambda serializedForm(Object target) {
        Method writeReplace = WRITE_REPLACE.get(target.getClass());
        if (writeReplace == null) {
            return null;
        }
        try {
            Object replaced = writeReplace.invoke(target);
            return replaced instanceof SerializedLambda ? (SerializedLambda) replaced : null;
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    /**
     * The classes a child loads to rebuild {@code target}: a serializable lambda's capturing and
     * implementation classes, or the target's own class (none for a class of the JDK or a hidden
     * one). For warm spares to load ahead of their orders.
     */
    public static List<String> classNamesOf(Object target) {
        ClassNames known = CLASS_NAMES.get(target.getClass());
        List<String> names = known.names;
        if (names == null) {
            names = readClassNames(target);
            known.names = names; // a benign race: every thread reads the same names
        }
        return names;
    }

    /**
     * Per class, the names {@link #classNamesOf} gives, read from its first instance: a lambda
     * class has one capturing and one implementation class, so a start pays for writeReplace (a
     * reflective call, beside the one of {@link #encode}) only the first time.
     */
    private static final ClassValue<ClassNames> CLASS_NAMES = new ClassValue<>() {
        @Override
        protected ClassNames computeValue(Class<?> type) {
            return new ClassNames();
        }
    };

    private static final class ClassNames {
        volatile List<String> names;
    }

    private static List<String> readClassNames(Object target) {
        SerializedLambda lambda = serializedForm(target);
        if (lambda != null) {
            String capturing = lambda.getCapturingClass().replace('/', '.');
            String implementation = lambda.getImplClass().replace('/', '.');
            return capturing.equals(implementation) ? List.of(capturing) : List.of(capturing, implementation);
        }
        Class<?> type = target.getClass();
        return type.isHidden() || type.getClassLoader() == null ? List.of() : List.of(type.getName());
    }

    /** Rebuilds the lambda {@link #encode} described, resolving classes with {@code loader}. */
    public static Object decode(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        return decode(data, loader, null);
    }

    /**
     * Rebuilds the lambda {@link #encode} described, resolving classes with {@code loader}; its
     * captured {@link CarriedFd}s claim their fds from {@code fds} (none may be captured where it
     * is null).
     */
    public static Object decode(byte[] data, ClassLoader loader, FdTransfer fds)
            throws IOException, ClassNotFoundException {
        ByteCursor in = new ByteCursor(data, 0, data.length);
        if (in.getInt() != MAGIC) {
            throw new StreamCorruptedException("not an encoded lambda");
        }
        Class<?> capturingClass = Class.forName(readString(in).replace('/', '.'), false, loader);
        String interfaceClass = readString(in);
        String interfaceMethod = readString(in);
        String interfaceSignature = readString(in);
        int implKind = in.getInt();
        String implClass = readString(in);
        String implMethod = readString(in);
        String implSignature = readString(in);
        String instantiatedType = readString(in);
        int count = in.getLength(1); // each value takes at least its tag
        Object[] captured = new Object[count];
        try {
            for (int i = 0; i < count; i++) {
                captured[i] = readValue(in, fds);
            }
            SerializedLambda lambda = new SerializedLambda(capturingClass, interfaceClass, interfaceMethod,
                    interfaceSignature, implKind, implClass, implMethod, implSignature, instantiatedType, captured);
            return rebuild(capturingClass, lambda);
        } catch (Throwable failed) {
            // The fds claimed so far would stay open until a garbage collection found them.
            closeCarriedFds(captured);
            throw failed;
        }
    }

    /**
     * The lambda {@code lambda} describes: a direct call for the library's own interfaces, else
     * through the capturing class's {@code $deserializeLambda$}.
     */
    static Object rebuild(Class<?> capturingClass, SerializedLambda lambda) throws IOException, ClassNotFoundException {
        Object direct = DirectLambdas.of(capturingClass, lambda);
        if (direct != null) {
            return direct;
        }
        try {
            Method deserialize = capturingClass.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            deserialize.setAccessible(true);
            return deserialize.invoke(null, lambda);
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException e) {
            return throughJavaSerialization(lambda);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw (IOException) new java.io.InvalidObjectException("cannot rebuild " + lambda.getImplClass() + "."
                    + lambda.getImplMethodName() + ": " + cause).initCause(cause);
        }
    }

    private static void closeCarriedFds(Object[] captured) {
        for (Object value : captured) {
            if (value instanceof CarriedFd) {
                ((CarriedFd) value).close();
            }
        }
    }

    /** Where reflection may not reach the capturing class (a module that is not open), Java serialization can. */
    private static Object throughJavaSerialization(SerializedLambda lambda) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(lambda);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    private static boolean isPlain(Object value) {
        return value == null || value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Character || value instanceof Integer || value instanceof Long
                || value instanceof Float || value instanceof Double || value instanceof String
                || value instanceof byte[] || value instanceof int[] || value instanceof long[]
                || value instanceof double[];
    }

    private static void writeValue(DataOutputStream out, Object value, FdTransfer fds) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Boolean) {
            out.writeByte(BOOLEAN);
            out.writeBoolean((Boolean) value);
        } else if (value instanceof Byte) {
            out.writeByte(BYTE);
            out.writeByte((Byte) value);
        } else if (value instanceof Short) {
            out.writeByte(SHORT);
            out.writeShort((Short) value);
        } else if (value instanceof Character) {
            out.writeByte(CHAR);
            out.writeChar((Character) value);
        } else if (value instanceof Integer) {
            out.writeByte(INT);
            out.writeInt((Integer) value);
        } else if (value instanceof Long) {
            out.writeByte(LONG);
            out.writeLong((Long) value);
        } else if (value instanceof Float) {
            out.writeByte(FLOAT);
            out.writeInt(Float.floatToRawIntBits((Float) value)); // raw: a NaN keeps its payload
        } else if (value instanceof Double) {
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits((Double) value));
        } else if (value instanceof String) {
            out.writeByte(STRING);
            writeString(out, (String) value);
        } else if (value instanceof byte[]) {
            byte[] array = (byte[]) value;
            out.writeByte(BYTES);
            out.writeInt(array.length);
            out.write(array);
        } else if (value instanceof int[]) {
            int[] array = (int[]) value;
            out.writeByte(INTS);
            out.writeInt(array.length);
            for (int element : array) {
                out.writeInt(element);
            }
        } else if (value instanceof long[]) {
            long[] array = (long[]) value;
            out.writeByte(LONGS);
            out.writeInt(array.length);
            for (long element : array) {
                out.writeLong(element);
            }
        } else if (value instanceof CarriedFd) {
            out.writeByte(CARRIED_FD);
            out.writeInt(((CarriedFd) value).exportTo(fds));
        } else {
            double[] array = (double[]) value;
            out.writeByte(DOUBLES);
            out.writeInt(array.length);
            for (double element : array) {
                out.writeLong(Double.doubleToRawLongBits(element));
            }
        }
    }

    private static Object readValue(ByteCursor in, FdTransfer fds) throws IOException {
        byte tag = in.getByte();
        switch (tag) {
            case NULL:
                return null;
            case BOOLEAN:
                return in.getBoolean();
            case BYTE:
                return in.getByte();
            case SHORT:
                return in.getShort();
            case CHAR:
                return (char) in.getShort();
            case INT:
                return in.getInt();
            case LONG:
                return in.getLong();
            case FLOAT:
                return Float.intBitsToFloat(in.getInt());
            case DOUBLE:
                return Double.longBitsToDouble(in.getLong());
            case STRING:
                return readString(in);
            case BYTES: {
                return in.getBytes(length(in, 1));
            }
            case INTS: {
                int[] array = new int[length(in, 4)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = in.getInt();
                }
                return array;
            }
            case LONGS: {
                long[] array = new long[length(in, 8)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = in.getLong();
                }
                return array;
            }
            case DOUBLES: {
                double[] array = new double[length(in, 8)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = Double.longBitsToDouble(in.getLong());
                }
                return array;
            }
            case CARRIED_FD:
                if (fds == null) {
                    throw new InvalidObjectException(CarriedFd.WHAT + " can only be rebuilt where its fd arrives");
                }
                return CarriedFd.claimFrom(fds, in.getInt());
            default:
                throw new StreamCorruptedException("unknown value tag " + tag);
        }
    }

    /** An element count, checked against what is left so that a corrupt one cannot allocate absurdly. */
    private static int length(ByteCursor in, int elementSize) throws IOException {
        return in.getLength(elementSize);
    }

    /** As UTF-16 chars: exact for every string, a lone surrogate too (UTF-8 would make it '?'). */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        out.writeInt(value.length());
        out.writeChars(value);
    }

    private static String readString(ByteCursor in) throws IOException {
        char[] chars = new char[length(in, 2)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) in.getShort();
        }
        return new String(chars);
    }
}
