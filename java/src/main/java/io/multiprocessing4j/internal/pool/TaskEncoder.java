package io.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes tasks in the submitting thread, before they are queued: so an argument that cannot be
 * serialized fails the submission in the caller, and the pool's own threads only move bytes.
 * One encoder per submission (it keeps its buffers for the tasks of that submission).
 */
final class TaskEncoder {
    private final WireBuffer buffer = new WireBuffer(256);
    private final ValueBlockWriter values = new ValueBlockWriter();
    private final CallKind kind;
    private final int functionId;
    /** Items encoded before this submission's current task, for error messages ("item 17"). */
    private int itemsBefore;

    TaskEncoder(CallKind kind, int functionId) {
        this.kind = kind;
        this.functionId = functionId;
    }

    /** A task record for items {@code [from, to)} of {@code items} (ignored for call kinds without arguments). */
    byte[] encode(List<?> items, int from, int to) {
        buffer.reset();
        buffer.putByte(Wire.TASK);
        buffer.putInt(functionId);
        buffer.putInt(to - from);
        int lengthAt = buffer.position();
        buffer.putInt(0);
        values.begin(buffer);
        for (int i = from; i < to; i++) {
            writeItem(items.get(i), itemsBefore + i - from);
        }
        try {
            values.end();
        } catch (IOException | RuntimeException e) {
            throw Serializability.notSerializable("an argument", e);
        }
        itemsBefore += to - from;
        buffer.patchInt(lengthAt, buffer.position() - lengthAt - 4);
        return buffer.toArray();
    }

    /** A task of one item without arguments (a callable or runnable). */
    byte[] encodeCall() {
        return encode(java.util.Collections.singletonList(null), 0, 1);
    }

    /** A task of one item: an argument, a pair or an argument list, by kind. */
    byte[] encodeOne(Object item) {
        return encode(java.util.Collections.singletonList(item), 0, 1);
    }

    private void writeItem(Object item, int index) {
        try {
            switch (kind) {
                case CALL:
                case RUN:
                    return;
                case APPLY:
                    values.write(item);
                    return;
                case APPLY2: {
                    Map.Entry<?, ?> pair = (Map.Entry<?, ?>) Objects.requireNonNull(item,
                            () -> "item " + index + " is null, not a pair of arguments");
                    values.write(pair.getKey());
                    values.write(pair.getValue());
                    return;
                }
                default: {
                    List<?> arguments = (List<?>) Objects.requireNonNull(item,
                            () -> "item " + index + " is null, not a list of arguments");
                    values.write(arguments.size());
                    for (Object argument : arguments) {
                        values.write(argument);
                    }
                }
            }
        } catch (IOException e) {
            values.abandon();
            throw Serializability.notSerializable(describe(item, index), e);
        } catch (RuntimeException e) {
            values.abandon();
            throw e;
        }
    }

    private String describe(Object item, int index) {
        String what = kind == CallKind.APPLY ? "the argument" : "the arguments";
        return what + " of item " + index + " (" + (item == null ? "null" : item.getClass().getName()) + ")";
    }
}
