package io.multiprocessing4j.internal.queue;

import static io.multiprocessing4j.internal.sync.SharedWords.INT;
import static io.multiprocessing4j.internal.sync.SharedWords.LONG;

import io.multiprocessing4j.internal.nativ.NoSpaceException;
import io.multiprocessing4j.internal.shm.HandoffSegment;
import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.shm.SegmentNames;
import io.multiprocessing4j.internal.sync.RobustMutex;
import io.multiprocessing4j.internal.sync.WaitPolicy;
import io.multiprocessing4j.internal.time.Durations;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shared part of a queue: a ring of variable-size records in one anonymous shared memory
 * segment, with one {@link RobustMutex} for the producers' end and one for the consumers' end (as
 * {@link java.util.concurrent.LinkedBlockingQueue} has), and futex words for a side that must sleep.
 *
 * <p><b>Records.</b> Each is an 8-byte header (the body's length, with {@link #SPILLED} for a message
 * kept out of line; and the low 32 bits of the record's number plus one) and the body, padded to 8
 * bytes. A body may wrap around the end of the ring; a header never does. {@code head} and
 * {@code tail} are byte positions that only grow, so the ring holds {@code tail - head} bytes; the
 * counters {@code puts} and {@code gets} count records published and taken. A message whose encoded
 * form is larger than a quarter of the ring travels in a {@link HandoffSegment}, with only its size
 * and segment name in the ring.
 *
 * <p><b>Costs.</b> A put takes the producers' lock (a CAS), reads {@code gets} and {@code head},
 * copies the record into the mapped segment, writes {@code puts} and {@code tail}, releases the lock
 * (an exchange) and reads the consumers' futex word; a take is the mirror image. No system call. With
 * one producer and one consumer the two never wait for each other's lock; they share only the cache
 * lines of the records and of each other's position. The kernel is entered only to sleep when the
 * queue stays empty (or full) for longer than a short spin, and to wake a side that did sleep; a
 * producer asleep on a full ring is woken once a quarter of it is free, so that wake-ups come once per
 * burst rather than once per message.
 *
 * <p><b>Processes killed mid-operation.</b> Each side changes only its own words, and each operation
 * becomes visible through one store, its commit: a put writes its record where no one reads, counts
 * it in {@code puts}, then publishes it by storing {@code tail}; a take copies its record out, counts
 * it in {@code gets}, then consumes it by storing {@code head}. A process killed at any instant, even
 * holding a lock, therefore leaves at most a count one ahead of the commit it did not make. Whoever
 * takes that lock over from the dead holder (the lock word names its holder, see {@link RobustMutex})
 * puts the count right from the records ({@link #repairPutSide}, {@link #repairTakeSide}). A message a
 * killed consumer had taken is gone with it, as it would be had it been killed just after {@code get}
 * returned; nothing else is lost or delivered twice.
 *
 * <p><b>Growing</b> (an unbounded Queue's ring). A put that finds the ring full (for longer than
 * {@link #GROW_AFTER_NANOS}) writes its record into a new {@link Chunk} and then commits a link
 * record to that chunk in the ring, which keeps room for one; producers then append to the chunk
 * ({@link #PUT_CHUNK}), and from a full chunk go on in the next one the same way. Once consumers
 * have emptied the ring, the next put (or a consumer that drains the last chunk) ends the chunk with
 * a link back to the ring. Consumers follow the links ({@link #TAKE_AT}), and the one that passes a
 * chunk's end unlinks it. Records keep their order across links, and {@code puts}/{@code gets} count
 * messages wherever they are, so {@link #size()} is exact. Each link is committed by one store as any
 * record is; a process killed between committing a link and moving its side on leaves the link as
 * the last record (where {@link #RING_LINK_AT}, {@link Chunk#LINK_AT} and {@link #CHUNK_LINK_TO}
 * say), and whoever takes the lock over finishes the move ({@code finishMove}, and the first lines of
 * {@link #repairTakeSide}). A chunk made by a producer killed before linking it is left to the
 * resource tracker.
 */
public final class MessageRing {
    // The layout (package-private for the tests that play a process killed mid-operation). Each side's
    // lock and words share a cache line, and each futex word has a line of its own.
    static final int PUT_LOCK = 0;
    static final int TAIL = 8;
    static final int PUTS = 16;
    /** Growing rings: the overflow chunk producers append to, 0 while they append to the ring. */
    static final int PUT_CHUNK = 24;
    /** Growing rings: the number of the last chunk made. */
    static final int LAST_CHUNK = 32;
    /** Growing rings: where the ring's last link to a chunk was written (a position), -1 if none since the ring was last linked back to. */
    static final int RING_LINK_AT = 40;
    /** Growing rings: the target of the last link written at the end of a chunk (0: the ring). */
    static final int CHUNK_LINK_TO = 48;
    static final int TAKE_LOCK = 64;
    static final int HEAD = 72;
    static final int GETS = 80;
    /** Growing rings: where consumers take from: 0 for the ring, else chunk number << 32 | offset in it. */
    static final int TAKE_AT = 88;
    private static final int NOT_EMPTY = 128;
    private static final int NOT_FULL = 192;
    // JoinableQueue's tasks (see TaskCounter).
    private static final int UNFINISHED = 256;
    private static final int ALL_DONE = 264;
    // Written once, at creation.
    private static final int MAGIC_AT = 320;
    private static final int CAPACITY_AT = 324;
    private static final int MAXSIZE_AT = 328;
    private static final int GROWS_AT = 332;
    /** The chunks' common name: a length byte and up to 47 ASCII bytes. */
    private static final int CHUNK_NAME_AT = 336;
    static final int DATA = 384;

    private static final int MAGIC = 0x6d70_3471;
    static final int RECORD_HEADER = 8;
    /** In a record's length word: the body is a reference to a {@link HandoffSegment}. */
    static final int SPILLED = 0x8000_0000;
    /**
     * In a record's length word: the body is the number of the chunk where the records continue (0:
     * back in the ring). Such a link is the last record of the ring or chunk it ends, for now.
     */
    static final int LINK = 0x4000_0000;
    private static final int FLAGS = SPILLED | LINK;
    /** A link record: header and an 8-byte chunk number. Every ring that grows keeps room for one. */
    static final int LINK_RECORD = RECORD_HEADER + Long.BYTES;

    /** The smallest and largest ring, in bytes of records. */
    public static final int MIN_CAPACITY = 4096;
    public static final int MAX_CAPACITY = 1 << 30;
    /**
     * The default ring: about 16000 records of a small message, 250 of 1 KiB. It is reserved in
     * /dev/shm (64 MiB in a default container) for as long as the queue lives, so it stays modest.
     */
    public static final int DEFAULT_CAPACITY = 256 * 1024;
    /**
     * A producer asleep on a ring that was out of bytes is woken once this share of it is free again,
     * not at every take: it then fills the ring in a burst, and the consumer pays for one futex wake
     * per quarter of the ring instead of one per message. A quarter is also the largest inline record,
     * so whatever the sleeper waits to put fits by then. (A producer held back by {@code maxsize} is
     * woken at every take, as each frees the slot it waits for.) Should consumers stop before freeing
     * that much, the sleeper still looks again at the end of its slice, which is kept short for that
     * reason ({@link #PRODUCER_SLICE_NANOS}).
     */
    private static final double WAKE_PRODUCERS_AT_FREE_FRACTION = 0.25;
    /** A producer waiting for room sleeps at most this long before it looks again (see above). */
    private static final long PRODUCER_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /**
     * How long a put on a growing ring that is full waits for consumers to make room before it grows
     * the queue instead. Growing costs fresh memory (zeroed, faulted in on both sides) and system
     * calls, a microsecond or so per small message; a consumer that keeps up frees a quarter of the
     * ring well within this, so a queue grows only for a real backlog. Puts into a chunk, and puts
     * that may not wait, never wait for this.
     */
    private static final long GROW_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long a producer waits before looking again when /dev/shm has no room for a large message. */
    private static final long SHM_ROOM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** What an attempt to put came to. */
    private enum Attempt {
        PUBLISHED,
        /** maxsize messages are queued, or the ring has no room for the record (or the lock's wait timed out). */
        NO_ROOM,
        /** /dev/shm has no room for the message's handoff segment (see {@link HandoffSegment#roomFor}). */
        NO_SHM_ROOM
    }

    private final Segment segment;
    private final ByteBuffer buffer;
    private final RobustMutex putLock;
    private final RobustMutex takeLock;
    private final WakeupWord notEmpty;
    private final WakeupWord notFull;
    private final int capacity;
    private final int mask;
    private final int maxsize;
    private final int inlineLimit;
    /** Whether puts that find the ring full go on in overflow chunks (an unbounded Queue) rather than wait. */
    private final boolean grows;
    /** The chunks' names: this, '_' and the chunk's number. */
    private final String chunkName;
    /** The chunk this process appends to; guarded by the producers' lock. */
    private Chunk putChunk;
    /** The chunk this process takes from; written under the consumers' lock, read without it by waiters. */
    private volatile Chunk takeChunk;
    // What the last take found, handed out of the consumers' lock by the thread that holds it.
    private boolean takenSpilled;
    private long takenFree;

    private MessageRing(Segment segment) {
        this.segment = segment;
        this.buffer = segment.buffer();
        this.putLock = new RobustMutex(buffer, PUT_LOCK);
        this.takeLock = new RobustMutex(buffer, TAKE_LOCK);
        this.notEmpty = new WakeupWord(buffer, NOT_EMPTY, true);
        this.notFull = new WakeupWord(buffer, NOT_FULL, true);
        this.capacity = (int) INT.getVolatile(buffer, CAPACITY_AT);
        this.mask = capacity - 1;
        this.maxsize = (int) INT.getVolatile(buffer, MAXSIZE_AT);
        this.inlineLimit = capacity / 4;
        this.grows = (int) INT.getVolatile(buffer, GROWS_AT) != 0;
        int nameLength = Math.min(buffer.get(CHUNK_NAME_AT) & 0xff, DATA - CHUNK_NAME_AT - 1);
        byte[] name = new byte[nameLength];
        buffer.get(CHUNK_NAME_AT + 1, name);
        this.chunkName = new String(name, StandardCharsets.US_ASCII);
    }

    /**
     * A new, empty ring of {@code capacity} bytes (a power of two from {@link #MIN_CAPACITY} to
     * {@link #MAX_CAPACITY}) holding at most {@code maxsize} messages (0: no limit).
     */
    public static MessageRing create(int capacity, int maxsize, String what) {
        return create(capacity, maxsize, what, false);
    }

    /**
     * As {@link #create(int, int, String)}; with {@code grows} (no {@code maxsize} allowed), a put
     * that finds the ring out of bytes goes on in an overflow chunk instead of waiting.
     */
    public static MessageRing create(int capacity, int maxsize, String what, boolean grows) {
        if (grows && maxsize != 0) {
            throw new IllegalArgumentException("a bounded ring does not grow");
        }
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
        INT.setVolatile(buffer, GROWS_AT, grows ? 1 : 0);
        byte[] name = SegmentNames.random().getBytes(StandardCharsets.US_ASCII);
        buffer.put(CHUNK_NAME_AT, (byte) name.length);
        buffer.put(CHUNK_NAME_AT + 1, name);
        LONG.setVolatile(buffer, RING_LINK_AT, -1L);
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
        return new TaskCounter(buffer, UNFINISHED, new WakeupWord(buffer, ALL_DONE, false));
    }

    /** Messages in the ring at some recent instant (Python's {@code qsize()}: approximate by nature). */
    public int size() {
        long gets = (long) LONG.getVolatile(buffer, GETS); // first: puts only grows, so puts - gets >= 0
        long puts = (long) LONG.getVolatile(buffer, PUTS);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, puts - gets));
    }

    /** Whether the ring held no message at some recent instant. */
    public boolean isEmpty() {
        if (grows) {
            return size() == 0; // the ring may be empty while chunks hold messages
        }
        long head = (long) LONG.getVolatile(buffer, HEAD);
        return (long) LONG.getVolatile(buffer, TAIL) == head;
    }

    /** Whether the ring held {@code maxsize} messages at some recent instant (never, without a bound). */
    public boolean isFull() {
        return maxsize > 0 && size() >= maxsize;
    }

    // ---------------------------------------------------------------------------------- putting

    /**
     * Refuses now, in the caller's thread, a message that could never be delivered: one that must
     * travel out of line and is larger than /dev/shm itself. Anything else fits sooner or later.
     */
    public void checkDeliverable(OutgoingMessage message) {
        if (message.encoded.length > inlineLimit) {
            HandoffSegment.checkCouldEverHold(message.encoded.length);
        }
    }

    /**
     * Publishes {@code message} if the ring has room for it now; waits only for the producers' lock,
     * whose holders keep it for a copy's time.
     */
    public boolean tryPut(OutgoingMessage message) {
        try {
            return attemptPut(message, -1, false, true) == Attempt.PUBLISHED;
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible lock wait was interrupted", impossible);
        }
    }

    /**
     * Publishes {@code message}, waiting at most {@code timeoutNanos} (negative: no limit) for room;
     * false if the time ran out. Room means: fewer than {@code maxsize} messages, enough free bytes
     * for the record (a growing ring always has them: it grows), and, for a spilled message or a
     * new chunk, room in /dev/shm.
     */
    public boolean put(OutgoingMessage message, long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (timeoutNanos != 0 && attemptPut(message, 0, interruptible, false) == Attempt.PUBLISHED) {
            return true; // see FIRST_ATTEMPT
        }
        return putWaiting(message, timeoutNanos, interruptible);
    }

    private boolean putWaiting(OutgoingMessage message, long timeoutNanos, boolean interruptible)
            throws InterruptedException {
        long deadline = Durations.deadline(timeoutNanos);
        boolean mayGrow = timeoutNanos == 0;
        long growAt = System.nanoTime() + GROW_AFTER_NANOS;
        boolean slept = false;
        while (true) {
            mayGrow |= grows && System.nanoTime() - growAt >= 0;
            Attempt attempt = attemptPut(message, lockTimeout(timeoutNanos, deadline), interruptible, mayGrow);
            if (attempt == Attempt.PUBLISHED) {
                return true;
            }
            if (timeoutNanos == 0) {
                return false;
            }
            if (attempt == Attempt.NO_SHM_ROOM) {
                // Nobody wakes us when /dev/shm frees up: look again now and then.
                long sleep = untilDeadline(timeoutNanos, deadline);
                if (timeoutNanos >= 0 && sleep <= 0) {
                    return false;
                }
                sleep = atMost(sleep, SHM_ROOM_POLL_NANOS);
                segment.checkOpen();
                sleep(sleep, interruptible);
                continue;
            }
            if (!slept && WaitPolicy.spinUntil(() -> mayHaveRoomFor(message))) {
                continue; // as in take: spin only before the first sleep
            }
            int prepared = notFull.prepareToSleep();
            if (mayHaveRoomFor(message)) {
                continue;
            }
            long sleep = untilDeadline(timeoutNanos, deadline);
            if (timeoutNanos >= 0 && sleep <= 0) {
                return false;
            }
            if (!(maxsize > 0 && size() >= maxsize)) {
                // short of bytes, not held back by maxsize: woken only per quarter of the ring freed
                sleep = atMost(sleep, PRODUCER_SLICE_NANOS);
            }
            if (grows && !mayGrow) {
                sleep = Math.max(1, atMost(sleep, growAt - System.nanoTime()));
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            segment.checkOpen(); // closed by another thread of this process while this one waited
            notFull.sleep(prepared, sleep);
            slept = true;
        }
    }

    /*
     * FIRST_ATTEMPT: a put or take that may wait first tries once with no clock read at all, taking
     * the lock only if it is free: the clock reads of a wait (its deadline, when a full ring may
     * grow) would cost a small message's put twice its time, 100 ns against 35, and a message that
     * finds room and a free lock, the common case, never needs them. Anything else (a busy lock, no
     * room) goes on to the wait, which starts its clock then; a call with a zero timeout waits for a
     * busy lock as it always has, so it skips this. The wait is a method of its own, so that the
     * first attempt is small enough for the JIT to inline into the caller.
     */

    /** Whether /dev/shm now lacks the room this ring needs to grow (for a clear error after a failed put). */
    public boolean shortOfSharedMemory() {
        return grows && !HandoffSegment.roomFor(chunkSize());
    }

    /** One attempt; {@code mayGrow}: a growing ring whose ring is full may go on in a new chunk. */
    private Attempt attemptPut(OutgoingMessage message, long lockTimeoutNanos, boolean interruptible, boolean mayGrow)
            throws InterruptedException {
        byte[] body = message.encoded;
        int flags = 0;
        if (body.length > inlineLimit) {
            if (message.spilledTo == null) {
                if (!HandoffSegment.roomFor(body.length)) {
                    return Attempt.NO_SHM_ROOM;
                }
                message.spilledTo = HandoffSegment.store(body);
            }
            body = spillReference(body.length, message.spilledTo);
            flags = SPILLED;
        }
        int record = recordSize(body.length);
        if (!lockPutSide(lockTimeoutNanos, interruptible)) {
            return Attempt.NO_ROOM;
        }
        try {
            long puts = (long) LONG.getVolatile(buffer, PUTS);
            if (maxsize > 0 && puts - (long) LONG.getVolatile(buffer, GETS) >= maxsize) {
                return Attempt.NO_ROOM;
            }
            Attempt attempt = grows ? putGrowing(body, flags, record, puts, mayGrow)
                    : putInRing(body, flags, record, puts, 0);
            if (attempt != Attempt.PUBLISHED) {
                return attempt;
            }
        } finally {
            putLock.release();
        }
        message.spilledTo = null; // the segment belongs to the queue now: its taker unlinks it
        notEmpty.wakeOne();
        return Attempt.PUBLISHED;
    }

    /** With the producers' lock held: the record into the ring, if it has room for it (and {@code reserve} bytes more). */
    private Attempt putInRing(byte[] body, int flags, int record, long puts, int reserve) {
        long tail = (long) LONG.getVolatile(buffer, TAIL);
        if (capacity - (tail - (long) LONG.getVolatile(buffer, HEAD)) < record + reserve) {
            return Attempt.NO_ROOM;
        }
        int at = DATA + index(tail);
        INT.set(buffer, at, body.length | flags);
        INT.set(buffer, at + 4, (int) (puts + 1));
        copyIn(tail + RECORD_HEADER, body);
        LONG.setVolatile(buffer, PUTS, puts + 1);
        LONG.setVolatile(buffer, TAIL, tail + record); // the commit: the record exists from here on
        return Attempt.PUBLISHED;
    }

    /**
     * With the producers' lock held, on a growing ring: the record goes where producers append now
     * (the ring or the newest chunk), or, where that is full, into a new chunk linked from there.
     * Producers go back to the ring once consumers have taken everything in it, so that chunks exist
     * only while a backlog does. Every ring and chunk keeps room for the link that ends it.
     */
    private Attempt putGrowing(byte[] body, int flags, int record, long puts, boolean mayGrow) {
        long chunkNumber = (long) LONG.getVolatile(buffer, PUT_CHUNK);
        if (chunkNumber == 0) {
            Attempt attempt = putInRing(body, flags, record, puts, LINK_RECORD);
            return attempt == Attempt.PUBLISHED || !mayGrow ? attempt : moveToNewChunk(body, flags, record, puts, null);
        }
        Chunk chunk = putChunk(chunkNumber);
        long end = chunk.tail();
        if ((long) LONG.getVolatile(buffer, HEAD) == (long) LONG.getVolatile(buffer, TAIL)) {
            linkBackToRing(chunk, end);
            return putInRing(body, flags, record, puts, LINK_RECORD); // the ring is empty: room
        }
        if (chunk.size() - end >= record + LINK_RECORD) {
            writeChunkRecord(chunk, end, body, flags, (int) (puts + 1));
            LONG.setVolatile(buffer, PUTS, puts + 1);
            LONG.setVolatile(chunk.buffer, Chunk.TAIL, end + record); // the commit
            return Attempt.PUBLISHED;
        }
        return moveToNewChunk(body, flags, record, puts, chunk);
    }

    /**
     * With the producers' lock held: makes a chunk, writes the record into it, then links it from
     * the ring ({@code from} null) or from the chunk {@code from}. The link carries the message's
     * number, and committing it publishes the message; only then do producers move to the chunk.
     */
    private Attempt moveToNewChunk(byte[] body, int flags, int record, long puts, Chunk from) {
        Chunk created = createChunk();
        if (created == null) {
            return Attempt.NO_SHM_ROOM;
        }
        writeChunkRecord(created, Chunk.DATA, body, flags, (int) (puts + 1));
        LONG.setVolatile(created.buffer, Chunk.TAIL, (long) Chunk.DATA + record);
        if (from == null) {
            long tail = (long) LONG.getVolatile(buffer, TAIL);
            LONG.setVolatile(buffer, RING_LINK_AT, tail);
            int at = DATA + index(tail);
            INT.set(buffer, at, Long.BYTES | LINK);
            INT.set(buffer, at + 4, (int) (puts + 1));
            LONG.set(buffer, DATA + index(tail + RECORD_HEADER), created.number);
            LONG.setVolatile(buffer, PUTS, puts + 1);
            LONG.setVolatile(buffer, TAIL, tail + LINK_RECORD); // the commit
        } else {
            long end = from.tail();
            LONG.setVolatile(buffer, CHUNK_LINK_TO, created.number);
            LONG.setVolatile(from.buffer, Chunk.LINK_AT, end);
            writeChunkLink(from, end, created.number, (int) (puts + 1));
            LONG.setVolatile(buffer, PUTS, puts + 1);
            LONG.setVolatile(from.buffer, Chunk.TAIL, end + LINK_RECORD); // the commit
        }
        LONG.setVolatile(buffer, PUT_CHUNK, created.number);
        if (from != null) {
            from.release();
        }
        putChunk = created;
        return Attempt.PUBLISHED;
    }

    /** With the producers' lock held: ends {@code chunk} with a link back to the (empty) ring. */
    private void linkBackToRing(Chunk chunk, long end) {
        LONG.setVolatile(buffer, RING_LINK_AT, -1L);
        LONG.setVolatile(buffer, CHUNK_LINK_TO, 0L);
        LONG.setVolatile(chunk.buffer, Chunk.LINK_AT, end);
        writeChunkLink(chunk, end, 0, 0); // counts no message
        LONG.setVolatile(chunk.buffer, Chunk.TAIL, end + LINK_RECORD); // the commit
        LONG.setVolatile(buffer, PUT_CHUNK, 0L);
        chunk.release();
        putChunk = null;
    }

    /** With the producers' lock held: a new, empty chunk, or null if /dev/shm has no room for one. */
    private Chunk createChunk() {
        int size = chunkSize();
        if (!HandoffSegment.roomFor(size)) {
            return null;
        }
        long number = (long) LONG.getVolatile(buffer, LAST_CHUNK) + 1;
        while (true) {
            try {
                Chunk chunk = Chunk.create(number, chunkName + "_" + number, size);
                LONG.setVolatile(buffer, LAST_CHUNK, number);
                return chunk;
            } catch (FileAlreadyExistsException leftOfAKilledProducer) {
                number++;
            } catch (NoSpaceException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot grow a queue: " + e.getMessage(), e);
            }
        }
    }

    /** A chunk holds as many bytes of records as the ring. */
    private int chunkSize() {
        return Chunk.DATA + capacity;
    }

    /** With the producers' lock held: this process's mapping of chunk {@code number}. */
    private Chunk putChunk(long number) {
        Chunk chunk = putChunk;
        if (chunk != null && chunk.number == number) {
            return chunk;
        }
        if (chunk != null) {
            chunk.release();
            putChunk = null;
        }
        putChunk = openChunk(number);
        return putChunk;
    }

    private Chunk openChunk(long number) {
        try {
            return Chunk.open(number, chunkName + "_" + number, chunkSize());
        } catch (IOException e) {
            IllegalStateException failure = corrupt("chunk " + number + " cannot be opened: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    /** As {@link #putChunk}, but null if the chunk is gone (unlinked by the consumer that passed it). */
    private Chunk putChunkIfPresent(long number) {
        try {
            return putChunk(number);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return null;
            }
            throw e;
        }
    }

    private static void writeChunkRecord(Chunk chunk, long end, byte[] body, int flags, int number) {
        INT.set(chunk.buffer, (int) end, body.length | flags);
        INT.set(chunk.buffer, (int) end + 4, number);
        chunk.buffer.put((int) end + RECORD_HEADER, body);
    }

    private static void writeChunkLink(Chunk chunk, long end, long target, int number) {
        INT.set(chunk.buffer, (int) end, Long.BYTES | LINK);
        INT.set(chunk.buffer, (int) end + 4, number);
        LONG.set(chunk.buffer, (int) end + RECORD_HEADER, target);
    }

    /** A guess, without a lock, at whether {@code message} would fit now. */
    private boolean mayHaveRoomFor(OutgoingMessage message) {
        if (maxsize > 0 && size() >= maxsize) {
            return false;
        }
        if (grows && (long) LONG.getVolatile(buffer, PUT_CHUNK) != 0) {
            return true; // producers append to a chunk: no waiting for consumers
        }
        int length = message.encoded.length;
        int record = length > inlineLimit ? recordSize(Long.BYTES + 64) : recordSize(length);
        long head = (long) LONG.getVolatile(buffer, HEAD);
        return capacity - ((long) LONG.getVolatile(buffer, TAIL) - head) >= record + (grows ? LINK_RECORD : 0);
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
        if (timeoutNanos != 0) {
            byte[] message = attemptTake(0, interruptible); // see FIRST_ATTEMPT
            if (message != null) {
                return message;
            }
        }
        return takeWaiting(timeoutNanos, interruptible);
    }

    private byte[] takeWaiting(long timeoutNanos, boolean interruptible) throws InterruptedException {
        long deadline = Durations.deadline(timeoutNanos);
        boolean slept = false;
        while (true) {
            byte[] message = attemptTake(lockTimeout(timeoutNanos, deadline), interruptible);
            if (message != null || timeoutNanos == 0) {
                return message;
            }
            // Spin only before the first sleep: a waiter woken to find nothing (another took the
            // message) sleeps again at once; ten thousand virtual threads spinning in turn there
            // would hold the carriers the others need.
            if (!slept && WaitPolicy.spinUntil(this::mayHaveRecord)) {
                continue;
            }
            int prepared = notEmpty.prepareToSleep();
            if (mayHaveRecord()) {
                continue;
            }
            long sleep = untilDeadline(timeoutNanos, deadline);
            if (timeoutNanos >= 0 && sleep <= 0) {
                return null;
            }
            if (interruptible && Thread.interrupted()) {
                throw new InterruptedException();
            }
            segment.checkOpen(); // closed by another thread of this process while this one waited
            notEmpty.sleep(prepared, sleep);
            slept = true;
        }
    }

    /**
     * Whether a committed record waits where consumers take from, judged without a lock (a chunk
     * this process has not mapped yet counts as "maybe": the next take maps it).
     */
    private boolean mayHaveRecord() {
        long at = grows ? (long) LONG.getVolatile(buffer, TAKE_AT) : 0;
        if (at == 0) {
            return (long) LONG.getVolatile(buffer, HEAD) != (long) LONG.getVolatile(buffer, TAIL);
        }
        Chunk chunk = takeChunk;
        return chunk == null || chunk.number != at >>> 32 || chunk.tail() != (int) at;
    }

    private byte[] attemptTake(long lockTimeoutNanos, boolean interruptible) throws InterruptedException {
        if (!lockTakeSide(lockTimeoutNanos, interruptible)) {
            return null;
        }
        byte[] body;
        boolean spilled;
        long free;
        try {
            body = takeLocked();
            spilled = takenSpilled;
            free = takenFree;
        } finally {
            takeLock.release();
        }
        if (body == null) {
            return null;
        }
        if (maxsize > 0 || free >= WAKE_PRODUCERS_AT_FREE_FRACTION * capacity) {
            notFull.wakeOne();
        }
        return spilled ? HandoffSegment.take(spilledName(body), (int) spilledSize(body)) : body;
    }

    /**
     * With the consumers' lock held: consumes the oldest message record, following links, and
     * returns its body (null if there is none); sets {@link #takenSpilled} and {@link #takenFree}
     * (the ring's free bytes after a take from it, else -1).
     */
    private byte[] takeLocked() {
        while (true) {
            long at = grows ? (long) LONG.getVolatile(buffer, TAKE_AT) : 0;
            if (at == 0) {
                long head = (long) LONG.getVolatile(buffer, HEAD);
                long tail = (long) LONG.getVolatile(buffer, TAIL);
                if (head == tail) {
                    return null;
                }
                int word = (int) INT.get(buffer, DATA + index(head));
                int length = word & ~FLAGS;
                int record = checkedRecordSize(length, tail - head);
                if ((word & LINK) != 0) {
                    long target = (long) LONG.get(buffer, DATA + index(head + RECORD_HEADER));
                    if (target <= 0 || length != Long.BYTES) {
                        throw corrupt("a link to chunk " + target + " in the ring");
                    }
                    // Where consumers are first, then the link consumed: see repairTakeSide.
                    LONG.setVolatile(buffer, TAKE_AT, target << 32 | Chunk.DATA);
                    LONG.setVolatile(buffer, HEAD, head + record);
                    continue;
                }
                byte[] body = new byte[length];
                copyOut(head + RECORD_HEADER, body);
                LONG.setVolatile(buffer, GETS, (long) LONG.getVolatile(buffer, GETS) + 1);
                LONG.setVolatile(buffer, HEAD, head + record); // the commit: the record is ours from here on
                takenSpilled = (word & SPILLED) != 0;
                takenFree = capacity - (tail - head - record);
                return body;
            }
            Chunk chunk = takeChunk(at >>> 32);
            int offset = (int) at;
            long end = chunk.tail();
            if (offset == end) {
                if (linkedBackFromDrained(chunk)) {
                    continue;
                }
                return null;
            }
            int word = (int) INT.get(chunk.buffer, offset);
            int length = word & ~FLAGS;
            int record = recordSize(length);
            if (length <= 0 || length > capacity || offset + record > end || end > chunk.size()) {
                throw corrupt("a record of " + length + " bytes at " + offset + " in chunk " + chunk.number);
            }
            if ((word & LINK) != 0) {
                passLink(chunk, offset);
                continue;
            }
            byte[] body = new byte[length];
            chunk.buffer.get(offset + RECORD_HEADER, body);
            LONG.setVolatile(buffer, GETS, (long) LONG.getVolatile(buffer, GETS) + 1);
            LONG.setVolatile(buffer, TAKE_AT, at + record); // the commit
            takenSpilled = (word & SPILLED) != 0;
            takenFree = -1;
            if (offset + record == end) {
                leaveIfDrained(chunk, offset + record);
            }
            return body;
        }
    }

    /**
     * With the consumers' lock held: consumers pass the link record at {@code offset} of
     * {@code chunk} (to the next chunk, or back to the ring), and the chunk goes: its name now, its
     * memory with the last mapping.
     */
    private void passLink(Chunk chunk, int offset) {
        long target = (long) LONG.get(chunk.buffer, offset + RECORD_HEADER);
        LONG.setVolatile(buffer, TAKE_AT, target == 0 ? 0 : target << 32 | Chunk.DATA); // the commit
        chunk.unlink();
        chunk.release();
        takeChunk = null;
    }

    /**
     * With the consumers' lock held, having just taken the last record committed in {@code chunk}
     * (consumers are now at {@code offset}): ends the chunk with a link back to the ring if producers
     * still append there and the ring is empty ({@link #linkedBackFromDrained}), and passes whatever
     * link now follows, so that the chunk leaves /dev/shm with the take that emptied it. Left to the
     * next take, it stayed for as long as none came: a consumer that takes just the messages it
     * expects, or stops at an empty queue, left a backlog's last chunk to the resource tracker, to be
     * removed only once the whole process tree is gone, and never if that tracker was replaced
     * meanwhile (its successor hears only from live processes, and the chunk's creator may be gone).
     */
    private void leaveIfDrained(Chunk chunk, int offset) {
        if (chunk.tail() == offset) {
            linkedBackFromDrained(chunk);
        }
        if (chunk.tail() >= offset + LINK_RECORD) {
            int word = (int) INT.get(chunk.buffer, offset);
            if ((word & LINK) != 0 && (word & ~FLAGS) == Long.BYTES) {
                passLink(chunk, offset);
            } // else a message, or something the next take reports as corrupt
        }
    }

    /**
     * With the consumers' lock held, having taken everything up to the end of {@code chunk}: if
     * producers still append there and the ring is empty, ends the chunk with a link back to the
     * ring on their behalf (if their lock is free right now), so that a drained queue keeps no chunk
     * and its memory goes at once. True if it did.
     */
    private boolean linkedBackFromDrained(Chunk chunk) {
        if ((long) LONG.getVolatile(buffer, PUT_CHUNK) != chunk.number || !putLock.tryAcquire()) {
            return false;
        }
        try {
            if ((long) LONG.getVolatile(buffer, PUT_CHUNK) != chunk.number
                    || (long) LONG.getVolatile(buffer, HEAD) != (long) LONG.getVolatile(buffer, TAIL)) {
                return false;
            }
            Chunk appending = putChunk(chunk.number);
            linkBackToRing(appending, appending.tail());
            return true;
        } finally {
            putLock.release();
        }
    }

    /** With the consumers' lock held: this process's mapping of chunk {@code number}. */
    private Chunk takeChunk(long number) {
        Chunk chunk = takeChunk;
        if (chunk != null && chunk.number == number) {
            return chunk;
        }
        if (chunk != null) {
            chunk.release();
            takeChunk = null;
        }
        chunk = openChunk(number);
        takeChunk = chunk;
        return chunk;
    }

    /** Gives up this process's mappings of chunks (when it closes the queue). */
    public void releaseChunks() {
        Chunk chunk = putChunk;
        if (chunk != null) {
            chunk.release();
        }
        chunk = takeChunk;
        if (chunk != null) {
            chunk.release();
        }
    }

    /**
     * Removes every message the ring holds, at once; returns how many. Their handoff segments are
     * unlinked.
     */
    public int clear() {
        List<String> spilledNames = new ArrayList<>();
        long removed;
        lockTakeSideUninterruptibly();
        try {
            if (grows) {
                // Overflow chunks are consumed one record at a time, up to the messages there are now.
                long present = (long) LONG.getVolatile(buffer, PUTS) - (long) LONG.getVolatile(buffer, GETS);
                removed = 0;
                byte[] body;
                while (removed < present && (body = takeLocked()) != null) {
                    removed++;
                    if (takenSpilled) {
                        spilledNames.add(spilledName(body));
                    }
                }
            } else {
                long head = (long) LONG.getVolatile(buffer, HEAD);
                long tail = (long) LONG.getVolatile(buffer, TAIL);
                removed = walk(head, tail, spilledNames);
                LONG.setVolatile(buffer, GETS, (long) LONG.getVolatile(buffer, GETS) + removed);
                LONG.setVolatile(buffer, HEAD, tail); // the commit
            }
        } finally {
            takeLock.release();
        }
        notFull.wakeAll();
        spilledNames.forEach(HandoffSegment::discard);
        return (int) removed;
    }

    /** The handoff segments of the spilled messages in the ring now (for diagnostics and tests). */
    List<String> spilledSegmentNames() {
        List<String> names = new ArrayList<>();
        lockTakeSideUninterruptibly();
        try {
            walk((long) LONG.getVolatile(buffer, HEAD), (long) LONG.getVolatile(buffer, TAIL), names);
        } finally {
            takeLock.release();
        }
        return names;
    }

    /**
     * With the consumers' lock held: counts the message records from {@code head} to {@code tail}
     * (published, so producers leave them alone) and adds the names of the spilled ones to
     * {@code spilledNames}.
     */
    private long walk(long head, long tail, List<String> spilledNames) {
        long records = 0;
        for (long position = head; position != tail; ) {
            int word = (int) INT.get(buffer, DATA + index(position));
            int length = word & ~FLAGS;
            int record = checkedRecordSize(length, tail - position);
            if ((word & SPILLED) != 0) {
                byte[] body = new byte[length];
                copyOut(position + RECORD_HEADER, body);
                spilledNames.add(spilledName(body));
            }
            if ((word & LINK) == 0) {
                records++;
            }
            position += record;
        }
        return records;
    }

    // ---------------------------------------------------------------------------------- the locks

    /** Takes the producers' lock; puts their count right first if it was taken over from a dead holder. */
    private boolean lockPutSide(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (putLock.tryAcquire()) {
            return true;
        }
        int result = putLock.acquire(timeoutNanos, interruptible);
        if (result == RobustMutex.TIMED_OUT) {
            return false;
        }
        if (result < 0) {
            repairOrRelease(putLock, this::repairPutSide, -result);
        }
        return true;
    }

    /** Takes the consumers' lock; puts their count right first if it was taken over from a dead holder. */
    private boolean lockTakeSide(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (takeLock.tryAcquire()) {
            return true;
        }
        int result = takeLock.acquire(timeoutNanos, interruptible);
        if (result == RobustMutex.TIMED_OUT) {
            return false;
        }
        if (result < 0) {
            repairOrRelease(takeLock, this::repairTakeSide, -result);
        }
        return true;
    }

    private void lockTakeSideUninterruptibly() {
        try {
            lockTakeSide(-1, false);
        } catch (InterruptedException impossible) {
            throw new AssertionError("an uninterruptible lock wait was interrupted", impossible);
        }
    }

    private static void repairOrRelease(RobustMutex lock, java.util.function.IntConsumer repair, int deadPid) {
        try {
            repair.accept(deadPid);
        } catch (RuntimeException | Error e) {
            lock.release();
            throw e;
        }
    }

    /**
     * Run with the producers' lock just taken over from {@code deadPid}, which may have died anywhere
     * in a put. Before its commit it may have counted its record in {@code puts}: then the record at
     * the tail of where producers append (the ring, or a chunk) is complete and carries that very
     * count. Takes the count back (the put never happened). After the commit, everything is in order
     * already, except on a growing ring where the dead process had committed a link and not yet moved
     * producers on: the move is finished. Idempotent.
     */
    private void repairPutSide(int deadPid) {
        checkPositions(deadPid);
        if (grows) {
            finishMove();
        }
        long puts = (long) LONG.getVolatile(buffer, PUTS);
        long chunkNumber = grows ? (long) LONG.getVolatile(buffer, PUT_CHUNK) : 0;
        int word;
        int number;
        long target = -1;
        if (chunkNumber == 0) {
            long tail = (long) LONG.getVolatile(buffer, TAIL);
            int at = DATA + index(tail);
            word = (int) INT.getVolatile(buffer, at);
            number = (int) INT.getVolatile(buffer, at + 4);
        } else {
            Chunk chunk = putChunk(chunkNumber);
            int end = (int) chunk.tail();
            if (end + LINK_RECORD > chunk.size()) {
                return;
            }
            word = (int) INT.getVolatile(chunk.buffer, end);
            number = (int) INT.getVolatile(chunk.buffer, end + 4);
            if ((word & LINK) != 0) {
                target = (long) LONG.getVolatile(chunk.buffer, end + RECORD_HEADER);
            }
        }
        int length = word & ~FLAGS;
        boolean linkBack = (word & LINK) != 0 && target == 0; // counts no message
        if (length > 0 && length <= capacity && number == (int) puts && !linkBack) {
            LONG.setVolatile(buffer, PUTS, puts - 1);
        }
    }

    /**
     * Growing rings, with the producers' lock taken over: if the last committed record of where
     * producers append is a link (written where the ring's or chunk's link position says), producers
     * move to its target, as the dead process was about to make them.
     */
    private void finishMove() {
        long chunkNumber = (long) LONG.getVolatile(buffer, PUT_CHUNK);
        if (chunkNumber == 0) {
            long linkAt = (long) LONG.getVolatile(buffer, RING_LINK_AT);
            if (linkAt >= 0 && linkAt + LINK_RECORD == (long) LONG.getVolatile(buffer, TAIL)
                    && ((int) INT.getVolatile(buffer, DATA + index(linkAt)) & LINK) != 0) {
                long target = (long) LONG.getVolatile(buffer, DATA + index(linkAt + RECORD_HEADER));
                if (target > 0) {
                    LONG.setVolatile(buffer, PUT_CHUNK, target);
                }
            }
            return;
        }
        Chunk chunk = putChunkIfPresent(chunkNumber);
        if (chunk == null) {
            // Consumers have passed its end already, so its link was committed: the last one written.
            LONG.setVolatile(buffer, PUT_CHUNK, (long) LONG.getVolatile(buffer, CHUNK_LINK_TO));
            return;
        }
        long linkAt = (long) LONG.getVolatile(chunk.buffer, Chunk.LINK_AT);
        if (linkAt >= Chunk.DATA && linkAt + LINK_RECORD == chunk.tail()
                && ((int) INT.getVolatile(chunk.buffer, (int) linkAt) & LINK) != 0) {
            LONG.setVolatile(buffer, PUT_CHUNK, (long) LONG.getVolatile(chunk.buffer, (int) linkAt + RECORD_HEADER));
            chunk.release();
            putChunk = null;
        }
    }

    /**
     * Run with the consumers' lock just taken over from {@code deadPid}, which may have died anywhere
     * in a take (or a clear). Before its commit it may have counted in {@code gets} a record it did
     * not consume. The oldest record, still where consumers take from, carries its number (a link
     * to a chunk carries the number of the message after it): {@code gets} is exactly that. Nothing
     * left means every take completed. On a growing ring, a consumer killed between moving to a chunk
     * and consuming the ring's link to it leaves that link at the head: it is consumed now.
     * Idempotent.
     */
    private void repairTakeSide(int deadPid) {
        checkPositions(deadPid);
        long at = grows ? (long) LONG.getVolatile(buffer, TAKE_AT) : 0;
        long head = (long) LONG.getVolatile(buffer, HEAD);
        if (at != 0 && head != (long) LONG.getVolatile(buffer, TAIL)) {
            int word = (int) INT.getVolatile(buffer, DATA + index(head));
            if ((word & LINK) != 0 && (long) LONG.getVolatile(buffer, DATA + index(head + RECORD_HEADER)) == at >>> 32) {
                LONG.setVolatile(buffer, HEAD, head + LINK_RECORD);
            }
        }
        for (int hop = 0; hop < 2; hop++, at = 0) {
            int numberPlusOne;
            if (at == 0) {
                head = (long) LONG.getVolatile(buffer, HEAD);
                long tail = (long) LONG.getVolatile(buffer, TAIL);
                if (head == tail) {
                    return;
                }
                int index = DATA + index(head);
                checkedRecordSize((int) INT.getVolatile(buffer, index) & ~FLAGS, tail - head);
                numberPlusOne = (int) INT.getVolatile(buffer, index + 4);
            } else {
                Chunk chunk = takeChunk(at >>> 32);
                int offset = (int) at;
                if (offset == chunk.tail()) {
                    return;
                }
                int word = (int) INT.getVolatile(chunk.buffer, offset);
                if ((word & LINK) != 0 && (long) LONG.getVolatile(chunk.buffer, offset + RECORD_HEADER) == 0) {
                    continue; // back to the ring: its head holds the next number
                }
                numberPlusOne = (int) INT.getVolatile(chunk.buffer, offset + 4);
            }
            LONG.setVolatile(buffer, GETS, widen(numberPlusOne - 1, (long) LONG.getVolatile(buffer, GETS)));
            return;
        }
    }

    private void checkPositions(int deadPid) {
        long head = (long) LONG.getVolatile(buffer, HEAD);
        long tail = (long) LONG.getVolatile(buffer, TAIL);
        if (((head | tail) & 7) != 0 || tail - head < 0 || tail - head > capacity) {
            throw corrupt("head " + head + " and tail " + tail + " after process " + deadPid + " died");
        }
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
    static byte[] spillReference(int size, String name) {
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
    /**
     * How long a waiter for a message, a slot or the last task done sleeps: until its deadline
     * (negative: no limit; zero or less once the deadline has passed). Not in slices: a wake-up is
     * never lost (see {@link WakeupWord}), this JVM's sleeper for the word lets the oldest waiter
     * look again after every quiet moment anyway, and closing the queue releases this process's
     * waiters ({@link #releaseLocalWaiters}). Slices would cost ten thousand idle virtual threads
     * in a {@code get} some 40% of a CPU, every one of them waking twenty times a second.
     */
    static long untilDeadline(long timeoutNanos, long deadline) {
        return timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
    }

    /** {@code sleep} (negative: no limit, not a deadline passed) cut to at most {@code limit}. */
    private static long atMost(long sleep, long limit) {
        return sleep < 0 ? limit : Math.min(sleep, limit);
    }

    /**
     * Releases this process's threads waiting to put or take, for {@code close()}: each looks again,
     * finds the queue closed and throws, instead of waiting on a queue no longer there.
     */
    public void releaseLocalWaiters() {
        notEmpty.releaseLocalWaiters();
        notFull.releaseLocalWaiters();
    }

    private static void sleep(long nanos, boolean interruptible) throws InterruptedException {
        if (interruptible) {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return;
        }
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ring of " + capacity + " bytes" + (maxsize > 0 ? ", maxsize " + maxsize : "");
    }
}
