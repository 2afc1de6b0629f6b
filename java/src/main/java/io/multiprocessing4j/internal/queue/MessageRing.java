package io.multiprocessing4j.internal.queue;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.shm.HandoffSegment;
import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.sync.RobustMutex;
import io.multiprocessing4j.internal.sync.WaitPolicy;
import java.io.InvalidObjectException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared part of a queue: a ring of variable-size records in one anonymous shared memory
 * segment, guarded by a {@link RobustMutex}, with futex words for the sides that must sleep.
 *
 * <p><b>Records.</b> Each is an 8-byte header (body length, with {@link #SPILLED} for a message kept
 * out of line; and the low 32 bits of its sequence number) and the body, padded to 8 bytes. A body
 * may wrap around the end of the ring; a header never does. {@code head} and {@code tail} are byte
 * positions that only grow (a 64-bit position does not wrap in practice), so the ring holds
 * {@code tail - head} bytes, and the counters {@code puts} and {@code gets} count records ever
 * published and taken. A message whose encoded form is larger than a quarter of the ring travels in
 * a {@link HandoffSegment}, with only its size and segment name in the ring.
 *
 * <p><b>Costs.</b> An uncontended put or take is a CAS to take the lock, a copy into or out of the
 * mapped segment, a few stores on the lock's cache line, an exchange to release it, and one read of
 * the other side's futex word: no system call. The kernel is entered only to sleep when the queue is
 * empty (or full) for longer than a short spin, and to wake a side that did sleep.
 *
 * <p><b>Processes killed mid-operation.</b> Every update is made so that a process killed at any
 * instant, even holding the lock, leaves nothing half-done visible: a put writes its record where
 * no one reads, then publishes it with one store of {@code tail}; a take copies its record out,
 * then consumes it with one store of {@code head}. The counters ({@code puts}, {@code gets}, the
 * bytes held out of line) are written after that single store, and the next process to take the
 * lock over from a dead holder (the mutex names its holder, see {@link RobustMutex}) recomputes
 * them from the records themselves ({@link #repair}). A message that a killed consumer had taken is
 * gone with it, as it would be had it been killed just after {@code get} returned; nothing else is
 * lost or delivered twice.
 */
public final class MessageRing {
    // The layout (package-private for the tests that play a process killed mid-operation).
    // Everything changed under the lock shares the lock's cache line: an operation moves one line
    // between processes, not several.
    static final int LOCK = 0;
    static final int HEAD = 8;
    static final int TAIL = 16;
    static final int GETS = 24;
    static final int PUTS = 32;
    static final int SPILLED_BYTES = 40;
    // Each futex word on a line of its own: read by every operation of the other side, written only
    // around sleeps.
    private static final int NOT_EMPTY = 64;
    private static final int NOT_FULL = 128;
    // JoinableQueue's tasks (see TaskCounter).
    private static final int UNFINISHED = 192;
    private static final int ALL_DONE = 200;
    // Written once, at creation.
    private static final int MAGIC_AT = 256;
    private static final int CAPACITY_AT = 260;
    private static final int MAXSIZE_AT = 264;
    static final int DATA = 320;

    private static final int MAGIC = 0x6d70_3471;
    static final int RECORD_HEADER = 8;
    /** In a record's length word: the body is a reference to a {@link HandoffSegment}. */
    static final int SPILLED = 0x8000_0000;

    /** The smallest and largest ring, in bytes of records. */
    public static final int MIN_CAPACITY = 4096;
    public static final int MAX_CAPACITY = 1 << 30;
    /**
     * The default ring: about 4000 records of a small message, 250 of 1 KiB. It is reserved in
     * /dev/shm (64 MiB in a default container) for as long as the queue lives, so it stays modest.
     */
    public static final int DEFAULT_CAPACITY = 256 * 1024;
    /**
     * How many bytes of spilled messages may wait in a queue before producers hold back (blocking
     * puts wait, unbounded puts keep them in the producer's heap), so that a slow consumer cannot
     * make a queue fill /dev/shm. Checked before a handoff segment is made, without the lock: a
     * soft bound, which concurrent producers may overshoot by a message each. A single message
     * larger than this goes through whenever no other spilled message waits.
     */
    static final long SPILL_BUDGET_BYTES = 8L << 20;

    private final Segment segment;
    private final ByteBuffer buffer;
    private final RobustMutex mutex;
    private final WakeupWord notEmpty;
    private final WakeupWord notFull;
    private final int capacity;
    private final int mask;
    private final int maxsize;
    private final int inlineLimit;

    private MessageRing(Segment segment) {
        this.segment = segment;
        this.buffer = segment.buffer();
        this.mutex = new RobustMutex(buffer, LOCK);
        this.notEmpty = new WakeupWord(buffer, NOT_EMPTY);
        this.notFull = new WakeupWord(buffer, NOT_FULL);
        this.capacity = (int) INT.getVolatile(buffer, CAPACITY_AT);
        this.mask = capacity - 1;
        this.maxsize = (int) INT.getVolatile(buffer, MAXSIZE_AT);
        this.inlineLimit = capacity / 4;
    }

    /**
     * A new, empty ring of {@code capacity} bytes (a power of two from {@link #MIN_CAPACITY} to
     * {@link #MAX_CAPACITY}) holding at most {@code maxsize} messages (0: no limit).
     */
    public static MessageRing create(int capacity, int maxsize, String what) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("a queue's buffer must be a power of two from " + MIN_CAPACITY
                    + " to " + MAX_CAPACITY + " bytes: " + capacity);
        }
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must not be negative: " + maxsize);
        }
        Segment segment = Segment.createAnonymous(DATA + capacity, what);
        ByteBuffer buffer = segment.buffer();
        INT.setVolatile(buffer, CAPACITY_AT, capacity);
        INT.setVolatile(buffer, MAXSIZE_AT, maxsize);
        INT.setVolatile(buffer, MAGIC_AT, MAGIC);
        return new MessageRing(segment);
    }

    /** The ring in {@code segment}, which arrived from another process. */
    public static MessageRing attach(Segment segment) throws InvalidObjectException {
        ByteBuffer buffer = segment.buffer();
        int capacity = segment.size() >= DATA ? (int) INT.getVolatile(buffer, CAPACITY_AT) : 0;
        if (segment.size() < DATA || (int) INT.getVolatile(buffer, MAGIC_AT) != MAGIC
                || Integer.bitCount(capacity) != 1 || segment.size() < DATA + capacity) {
            throw new InvalidObjectException("not a queue's shared memory: " + segment);
        }
        return new MessageRing(segment);
    }

    public Segment segment() {
        return segment;
    }

    /** The bound on the number of messages, 0 for none. */
    public int maxsize() {
        return maxsize;
    }

    /** Bytes of records the ring holds. */
    public int capacity() {
        return capacity;
    }

    /** JoinableQueue's count of unfinished tasks, kept in this ring's segment. */
    public TaskCounter tasks() {
        return new TaskCounter(buffer, UNFINISHED, new WakeupWord(buffer, ALL_DONE));
    }

    /** Messages in the ring at some recent instant (Python's {@code qsize()}: approximate by nature). */
    public int size() {
        long gets = (long) LONG.getVolatile(buffer, GETS); // first: puts only grows, so puts - gets >= 0
        long puts = (long) LONG.getVolatile(buffer, PUTS);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, puts - gets));
    }

    /** Whether the ring held no message at some recent instant. */
    public boolean isEmpty() {
        long head = (long) LONG.getVolatile(buffer, HEAD);
        return (long) LONG.getVolatile(buffer, TAIL) == head;
    }

    /** Whether the ring held {@code maxsize} messages at some recent instant (never, without a bound). */
    public boolean isFull() {
        return maxsize > 0 && size() >= maxsize;
    }

    // ---------------------------------------------------------------------------------- putting

    /**
     * Publishes {@code message} if the ring has room for it now; waits only for the lock, whose
     * holders keep it for a copy's time.
     */
    public boolean tryPut(OutgoingMessage message) {
        try {
            return attemptPut(message, -1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible lock wait was interrupted", impossible);
        }
    }

    /**
     * Publishes {@code message}, waiting at most {@code timeoutNanos} (negative: no limit) for room;
     * false if the time ran out. Room means: fewer than {@code maxsize} messages, enough free bytes
     * for the record, and, for a spilled message, the spill budget.
     */
    public boolean put(OutgoingMessage message, long timeoutNanos, boolean interruptible) throws InterruptedException {
        long deadline = WaitPolicy.deadline(timeoutNanos);
        while (true) {
            if (attemptPut(message, lockTimeout(timeoutNanos, deadline), interruptible)) {
                return true;
            }
            if (timeoutNanos == 0) {
                return false;
            }
            if (WaitPolicy.spinUntil(() -> mayHaveRoomFor(message))) {
                continue;
            }
            int prepared = notFull.prepareToSleep();
            if (mayHaveRoomFor(message)) {
                continue;
            }
            long sleep = sliceUntil(timeoutNanos, deadline);
            if (sleep <= 0) {
                return false;
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            segment.checkOpen(); // closed by another thread of this process while this one waited
            notFull.sleep(prepared, sleep);
        }
    }

    private boolean attemptPut(OutgoingMessage message, long lockTimeoutNanos, boolean interruptible)
            throws InterruptedException {
        byte[] body = message.encoded;
        int flags = 0;
        if (body.length > inlineLimit) {
            if (message.spilledTo == null) {
                if (!spillBudgetAllows(body.length)) {
                    return false;
                }
                message.spilledTo = HandoffSegment.store(body);
            }
            body = spillReference(body.length, message.spilledTo);
            flags = SPILLED;
        }
        int record = recordSize(body.length);
        if (!lock(lockTimeoutNanos, interruptible)) {
            return false;
        }
        try {
            long gets = (long) LONG.getVolatile(buffer, GETS);
            long puts = (long) LONG.getVolatile(buffer, PUTS);
            if (maxsize > 0 && puts - gets >= maxsize) {
                return false;
            }
            long head = (long) LONG.getVolatile(buffer, HEAD);
            long tail = (long) LONG.getVolatile(buffer, TAIL);
            if (capacity - (tail - head) < record) {
                return false;
            }
            int at = DATA + index(tail);
            INT.set(buffer, at, body.length | flags);
            INT.set(buffer, at + 4, (int) puts);
            copyIn(tail + RECORD_HEADER, body);
            LONG.setVolatile(buffer, TAIL, tail + record); // the commit: the record exists from here on
            LONG.setVolatile(buffer, PUTS, puts + 1);
            if (flags == SPILLED) {
                long spilled = (long) LONG.getVolatile(buffer, SPILLED_BYTES);
                LONG.setVolatile(buffer, SPILLED_BYTES, spilled + message.encoded.length);
                message.spilledTo = null; // the segment belongs to the queue now: its taker unlinks it
            }
        } finally {
            mutex.release();
        }
        notEmpty.wakeOne();
        return true;
    }

    /** A guess, without the lock, at whether {@code message} would fit now. */
    private boolean mayHaveRoomFor(OutgoingMessage message) {
        if (maxsize > 0 && size() >= maxsize) {
            return false;
        }
        int length = message.encoded.length;
        boolean spills = length > inlineLimit;
        if (spills && message.spilledTo == null && !spillBudgetAllows(length)) {
            return false;
        }
        int record = spills ? recordSize(Long.BYTES + 64) : recordSize(length);
        long head = (long) LONG.getVolatile(buffer, HEAD);
        return capacity - ((long) LONG.getVolatile(buffer, TAIL) - head) >= record;
    }

    private boolean spillBudgetAllows(int length) {
        long spilled = (long) LONG.getVolatile(buffer, SPILLED_BYTES);
        return spilled == 0 || spilled + length <= SPILL_BUDGET_BYTES;
    }

    // ---------------------------------------------------------------------------------- taking

    /** Takes the oldest message if there is one now (its encoded bytes), else null. */
    public byte[] tryTake() {
        try {
            return attemptTake(-1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible lock wait was interrupted", impossible);
        }
    }

    /**
     * Takes the oldest message, waiting at most {@code timeoutNanos} (negative: no limit) for one;
     * null if the time ran out.
     */
    public byte[] take(long timeoutNanos, boolean interruptible) throws InterruptedException {
        long deadline = WaitPolicy.deadline(timeoutNanos);
        while (true) {
            byte[] message = attemptTake(lockTimeout(timeoutNanos, deadline), interruptible);
            if (message != null || timeoutNanos == 0) {
                return message;
            }
            if (WaitPolicy.spinUntil(() -> !isEmpty())) {
                continue;
            }
            int prepared = notEmpty.prepareToSleep();
            if (!isEmpty()) {
                continue;
            }
            long sleep = sliceUntil(timeoutNanos, deadline);
            if (sleep <= 0) {
                return null;
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            segment.checkOpen(); // closed by another thread of this process while this one waited
            notEmpty.sleep(prepared, sleep);
        }
    }

    private byte[] attemptTake(long lockTimeoutNanos, boolean interruptible) throws InterruptedException {
        if (!lock(lockTimeoutNanos, interruptible)) {
            return null;
        }
        byte[] body;
        boolean spilled;
        try {
            long head = (long) LONG.getVolatile(buffer, HEAD);
            long tail = (long) LONG.getVolatile(buffer, TAIL);
            if (head == tail) {
                return null;
            }
            int word = (int) INT.get(buffer, DATA + index(head));
            int length = word & ~SPILLED;
            spilled = (word & SPILLED) != 0;
            int record = checkedRecordSize(length, tail - head);
            body = new byte[length];
            copyOut(head + RECORD_HEADER, body);
            LONG.setVolatile(buffer, HEAD, head + record); // the commit: the record is ours from here on
            LONG.setVolatile(buffer, GETS, (long) LONG.getVolatile(buffer, GETS) + 1);
            if (spilled) {
                long held = (long) LONG.getVolatile(buffer, SPILLED_BYTES);
                LONG.setVolatile(buffer, SPILLED_BYTES, held - spilledSize(body));
            }
        } finally {
            mutex.release();
        }
        notFull.wakeOne();
        return spilled ? HandoffSegment.take(spilledName(body), (int) spilledSize(body)) : body;
    }

    /**
     * Removes every message the ring holds, at once; returns how many. Their handoff segments are
     * unlinked.
     */
    public int clear() {
        List<String> spilledNames;
        long removed;
        lockUninterruptibly();
        try {
            long tail = (long) LONG.getVolatile(buffer, TAIL);
            spilledNames = spilledNames();
            LONG.setVolatile(buffer, HEAD, tail); // the commit
            long puts = (long) LONG.getVolatile(buffer, PUTS);
            removed = puts - (long) LONG.getVolatile(buffer, GETS);
            LONG.setVolatile(buffer, GETS, puts);
            LONG.setVolatile(buffer, SPILLED_BYTES, 0L);
        } finally {
            mutex.release();
        }
        notFull.wakeAll();
        spilledNames.forEach(HandoffSegment::discard);
        return (int) removed;
    }

    /** The handoff segments of the spilled messages in the ring now (for diagnostics and tests). */
    List<String> spilledSegmentNames() {
        lockUninterruptibly();
        try {
            return spilledNames();
        } finally {
            mutex.release();
        }
    }

    /** With the lock held: the names of the handoff segments of the records between head and tail. */
    private List<String> spilledNames() {
        List<String> names = new ArrayList<>();
        long tail = (long) LONG.getVolatile(buffer, TAIL);
        for (long position = (long) LONG.getVolatile(buffer, HEAD); position != tail; ) {
            int word = (int) INT.get(buffer, DATA + index(position));
            int length = word & ~SPILLED;
            int record = checkedRecordSize(length, tail - position);
            if ((word & SPILLED) != 0) {
                byte[] body = new byte[length];
                copyOut(position + RECORD_HEADER, body);
                names.add(spilledName(body));
            }
            position += record;
        }
        return names;
    }

    // ---------------------------------------------------------------------------------- the lock

    /** Takes the ring's lock; repairs the counters first if it was taken over from a dead holder. */
    private boolean lock(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (mutex.tryAcquire()) {
            return true;
        }
        int result = mutex.acquire(timeoutNanos, interruptible);
        if (result == RobustMutex.TIMED_OUT) {
            return false;
        }
        if (result < 0) {
            try {
                repair(-result);
            } catch (RuntimeException | Error e) {
                mutex.release();
                throw e;
            }
        }
        return true;
    }

    private void lockUninterruptibly() {
        try {
            lock(-1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible lock wait was interrupted", impossible);
        }
    }

    /**
     * Run with the lock just taken over from {@code deadPid}, which may have died anywhere in a put
     * or a take. The records between {@code head} and {@code tail} are intact (each is complete
     * before it is published); the counters written after the commit may lag by one. Recomputes
     * them from the records: each record carries the low bits of its sequence number, so the oldest
     * tells {@code gets} and the newest tells {@code puts}; an empty ring has {@code gets == puts}.
     * Idempotent, so a repairer that dies in turn is repaired after.
     */
    private void repair(int deadPid) {
        long head = (long) LONG.getVolatile(buffer, HEAD);
        long tail = (long) LONG.getVolatile(buffer, TAIL);
        long gets = (long) LONG.getVolatile(buffer, GETS);
        long puts = (long) LONG.getVolatile(buffer, PUTS);
        if (((head | tail) & 7) != 0 || tail - head < 0 || tail - head > capacity) {
            throw corrupt("head " + head + " and tail " + tail + " after process " + deadPid + " died");
        }
        long records = 0;
        long spilled = 0;
        int oldest = 0;
        int newest = 0;
        for (long position = head; position != tail; records++) {
            int at = DATA + index(position);
            int word = (int) INT.get(buffer, at);
            int record = checkedRecordSize(word & ~SPILLED, tail - position);
            int sequence = (int) INT.get(buffer, at + 4);
            if (records == 0) {
                oldest = sequence;
            }
            newest = sequence;
            if ((word & SPILLED) != 0) {
                spilled += (long) LONG.get(buffer, DATA + index(position + RECORD_HEADER));
            }
            position += record;
        }
        if (records > 0) {
            gets = widen(oldest, gets);
            puts = widen(newest + 1, puts);
            if (puts - gets != records) {
                throw corrupt(records + " records numbered from " + gets + " to " + (puts - 1));
            }
        } else {
            gets = puts;
        }
        LONG.setVolatile(buffer, GETS, gets);
        LONG.setVolatile(buffer, PUTS, puts);
        LONG.setVolatile(buffer, SPILLED_BYTES, spilled);
    }

    /** The 64-bit counter nearest {@code near} whose low 32 bits are {@code low}. */
    private static long widen(int low, long near) {
        long candidate = (near & 0xffff_ffff_0000_0000L) | (low & 0xffff_ffffL);
        if (candidate - near > (1L << 31)) {
            candidate -= 1L << 32;
        } else if (near - candidate > (1L << 31)) {
            candidate += 1L << 32;
        }
        return candidate;
    }

    // ---------------------------------------------------------------------------------- records

    private int index(long position) {
        return (int) position & mask;
    }

    private static int recordSize(int bodyLength) {
        return RECORD_HEADER + ((bodyLength + 7) & ~7);
    }

    /** The size of a record with body {@code length}, which must lie within the {@code available} bytes. */
    private int checkedRecordSize(int length, long available) {
        int record = recordSize(length);
        if (length <= 0 || length > capacity || record > available) {
            throw corrupt("a record of " + length + " bytes where " + available + " remain");
        }
        return record;
    }

    private IllegalStateException corrupt(String what) {
        return new IllegalStateException("a queue's shared memory is inconsistent (" + what
                + "); it was changed by something other than this library");
    }

    private void copyIn(long position, byte[] source) {
        int index = index(position);
        int first = Math.min(source.length, capacity - index);
        buffer.put(DATA + index, source, 0, first);
        if (first < source.length) {
            buffer.put(DATA, source, first, source.length - first);
        }
    }

    private void copyOut(long position, byte[] target) {
        int index = index(position);
        int first = Math.min(target.length, capacity - index);
        buffer.get(DATA + index, target, 0, first);
        if (first < target.length) {
            buffer.get(DATA, target, first, target.length - first);
        }
    }

    /** The body of a spilled message's record: its size, then its segment's name. */
    private static byte[] spillReference(int size, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[Long.BYTES + nameBytes.length];
        ByteBuffer.wrap(body).order(ByteOrder.nativeOrder()).putLong(0, size);
        System.arraycopy(nameBytes, 0, body, Long.BYTES, nameBytes.length);
        return body;
    }

    private static long spilledSize(byte[] reference) {
        return ByteBuffer.wrap(reference).order(ByteOrder.nativeOrder()).getLong(0);
    }

    private static String spilledName(byte[] reference) {
        return new String(reference, Long.BYTES, reference.length - Long.BYTES, StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------------------------- waiting

    /** How long a lock wait may take: a timed operation's remaining time; otherwise as long as it takes. */
    private static long lockTimeout(long timeoutNanos, long deadline) {
        return timeoutNanos > 0 ? Math.max(0, deadline - System.nanoTime()) : -1;
    }

    /** The next sleep: a slice, cut at the deadline; 0 or less once the deadline has passed. */
    static long sliceUntil(long timeoutNanos, long deadline) {
        if (timeoutNanos < 0) {
            return WaitPolicy.SLICE_NANOS;
        }
        return Math.min(WaitPolicy.SLICE_NANOS, deadline - System.nanoTime());
    }

    @Override
    public String toString() {
        return "ring of " + capacity + " bytes" + (maxsize > 0 ? ", maxsize " + maxsize : "");
    }
}
