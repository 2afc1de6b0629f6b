import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the typed classes of {@code io.multiprocessing4j.sharedctypes} from two templates, one for
 * values and one for arrays, so the logic of a shared value exists once and each primitive
 * contributes only its signatures and its conversions to and from the bits of its slot.
 *
 * <p>Run by the build (java/pom.xml, generate-sources) with the JDK's source launcher:
 * {@code java GenerateSharedCtypes.java <template dir> <output source root>}.
 *
 * <p>Template syntax: {@code ${name}} is replaced by the row's value for {@code name}; a line
 * {@code //#if feature} starts a block kept only for rows that have the feature, {@code //#end}
 * ends it (blocks do not nest).
 */
public final class GenerateSharedCtypes {
    private static final String PACKAGE_PATH = "io/multiprocessing4j/sharedctypes";

    /** One typed value class: its primitive, its slot in shared memory and how it converts. */
    record Value(String type, String primitive, String slot, String slotType, String codes,
                 String description, String toBits, String fromBits, String getAndAdd,
                 String operator, String apply, Set<String> features, Map<String, String> extra) {
    }

    /** One typed array class. */
    record Array(String type, String primitive, String box, String handle, String buffer, String code,
                 Set<String> features) {
    }

    private static final List<Value> VALUES = List.of(
            new Value("SharedByte", "byte", "INT", "int", "b",
                    "A byte in shared memory: Python's {@code Value('b')}, {@code Value('c')} (a C char), and\n"
                            + " * {@code 'B'} through {@link #getUnsigned()} and {@link #setUnsigned(int)}. Arithmetic wraps\n"
                            + " * around within 8 bits, as in C.",
                    "value & 0xff", "(byte) bits", "value(updateIntBits(bits -> bits((byte) (value(bits) + delta)), false))",
                    "IntUnaryOperator", "(byte) function.applyAsInt(value(bits))", Set.of("unsigned", "counting"),
                    Map.of("unsignedType", "int", "unsignedMax", "0xff", "unsignedText", "0 to 255",
                            "unsignedCode", "B", "bitsWide", "8", "toUnsigned", "get() & 0xff",
                            "fromUnsigned", "(byte) value")),
            new Value("SharedShort", "short", "INT", "int", "h",
                    "A 16-bit short in shared memory: Python's {@code Value('h')}, and {@code 'H'} through\n"
                            + " * {@link #getUnsigned()} and {@link #setUnsigned(int)}. Arithmetic wraps around within 16 bits, as in C.",
                    "value & 0xffff", "(short) bits", "value(updateIntBits(bits -> bits((short) (value(bits) + delta)), false))",
                    "IntUnaryOperator", "(short) function.applyAsInt(value(bits))", Set.of("unsigned", "counting"),
                    Map.of("unsignedType", "int", "unsignedMax", "0xffff", "unsignedText", "0 to 65535",
                            "unsignedCode", "H", "bitsWide", "16", "toUnsigned", "get() & 0xffff",
                            "fromUnsigned", "(short) value")),
            new Value("SharedInt", "int", "INT", "int", "i",
                    "A 32-bit int in shared memory: Python's {@code Value('i')} (and {@code 'I'} through\n"
                            + " * {@link #getUnsigned()} and {@link #setUnsigned(long)}). See the package documentation.",
                    "value", "bits", "(int) INT.getAndAdd(buffer, 0, delta)",
                    "IntUnaryOperator", "function.applyAsInt(bits)", Set.of("unsigned", "counting"),
                    Map.of("unsignedType", "long", "unsignedMax", "0xffff_ffffL", "unsignedText", "0 to 2^32 - 1",
                            "unsignedCode", "I", "bitsWide", "32", "toUnsigned", "Integer.toUnsignedLong(get())",
                            "fromUnsigned", "(int) value")),
            new Value("SharedLong", "long", "LONG", "long", "q",
                    "A 64-bit long in shared memory: Python's {@code Value('q')} and {@code Value('l')} (a C long is\n"
                            + " * 64 bits on Linux). The unsigned {@code 'Q'} and {@code 'L'} share the bits; read them with\n"
                            + " * {@link Long#toUnsignedString(long)} and {@link Long#compareUnsigned(long, long)}.",
                    "value", "bits", "(long) LONG.getAndAdd(buffer, 0, delta)",
                    "LongUnaryOperator", "function.applyAsLong(bits)", Set.of("counting"), Map.of()),
            new Value("SharedFloat", "float", "INT", "int", "f",
                    "A float in shared memory: Python's {@code Value('f')}. The atomics compare by bit pattern\n"
                            + " * (as {@link Float#floatToRawIntBits}), so NaN matches NaN and 0.0 does not match -0.0.",
                    "Float.floatToRawIntBits(value)", "Float.intBitsToFloat(bits)",
                    "value(updateIntBits(bits -> bits(value(bits) + delta), false))",
                    "DoubleUnaryOperator", "(float) function.applyAsDouble(value(bits))", Set.of(), Map.of()),
            new Value("SharedDouble", "double", "LONG", "long", "d",
                    "A double in shared memory: Python's {@code Value('d')}. The atomics compare by bit pattern\n"
                            + " * (as {@link Double#doubleToRawLongBits}), so NaN matches NaN and 0.0 does not match -0.0.",
                    "Double.doubleToRawLongBits(value)", "Double.longBitsToDouble(bits)",
                    "value(updateLongBits(bits -> bits(value(bits) + delta), false))",
                    "DoubleUnaryOperator", "function.applyAsDouble(value(bits))", Set.of(), Map.of()));

    // SharedByteArray is written by hand: bytes have no atomic access, and it converts to and from text.
    private static final List<Array> ARRAYS = List.of(
            new Array("SharedShortArray", "short", "Short", "SHORT", "ShortBuffer", "h", Set.of()),
            new Array("SharedIntArray", "int", "Integer", "INT", "IntBuffer", "i", Set.of("atomic")),
            new Array("SharedLongArray", "long", "Long", "LONG", "LongBuffer", "q", Set.of("atomic")),
            new Array("SharedFloatArray", "float", "Float", "FLOAT", "FloatBuffer", "f", Set.of()),
            new Array("SharedDoubleArray", "double", "Double", "DOUBLE", "DoubleBuffer", "d", Set.of()));

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: GenerateSharedCtypes <template dir> <output source root>");
        }
        Path templates = Path.of(args[0]);
        Path out = Path.of(args[1]).resolve(PACKAGE_PATH);
        Files.createDirectories(out);
        String valueTemplate = Files.readString(templates.resolve("SharedValue.java.template"));
        for (Value value : VALUES) {
            var names = new java.util.HashMap<>(value.extra());
            names.put("Type", value.type());
            names.put("primitive", value.primitive());
            names.put("SLOT", value.slot());
            names.put("slotType", value.slotType());
            names.put("code", value.codes());
            names.put("description", value.description());
            names.put("toBits", value.toBits());
            names.put("fromBits", value.fromBits());
            names.put("getAndAdd", value.getAndAdd());
            names.put("Operator", value.operator());
            names.put("apply", value.apply());
            names.put("SlotName", value.slot().equals("INT") ? "Int" : "Long");
            // Arithmetic on a byte or short yields an int: only those two narrow it back explicitly.
            boolean narrow = value.primitive().equals("byte") || value.primitive().equals("short");
            names.put("narrow", narrow ? "(" + value.primitive() + ") " : "");
            write(out.resolve(value.type() + ".java"), expand(valueTemplate, names, value.features()));
        }
        String arrayTemplate = Files.readString(templates.resolve("SharedTypedArray.java.template"));
        for (Array array : ARRAYS) {
            var names = Map.of("Type", array.type(), "primitive", array.primitive(), "Box", array.box(),
                    "HANDLE", array.handle(), "Buffer", array.buffer(), "code", array.code());
            write(out.resolve(array.type() + ".java"), expand(arrayTemplate, names, array.features()));
        }
    }

    /** Keeps the blocks of {@code features}, then substitutes every variable (an unknown one is an error). */
    static String expand(String template, Map<String, String> names, Set<String> features) {
        StringBuilder kept = new StringBuilder();
        String block = null;
        for (String line : template.split("\n", -1)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("//#if ")) {
                block = trimmed.substring("//#if ".length()).trim();
            } else if (trimmed.equals("//#end")) {
                block = null;
            } else if (block == null || features.contains(block)) {
                kept.append(line).append('\n');
            }
        }
        Matcher matcher = VARIABLE.matcher(kept.substring(0, kept.length() - 1));
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = names.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("template variable without a value: " + matcher.group());
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** Writes only when the text changed, so an unchanged class is not recompiled. */
    private static void write(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Files.write(file, bytes);
    }

    private GenerateSharedCtypes() {
    }
}
