package io.riptide.features;

import io.riptide.features.internal.StateReader;
import io.riptide.features.internal.StateWriter;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Merges one instrument's inputs by event time, whatever order they arrive in. Each source (trades, books,
 * liquidations, klines) has a watermark: the latest event time it has delivered, raised by its events and by its
 * heartbeats (a feed's promise that it has delivered everything before a time). Event time is complete up to the
 * lowest watermark of the expected sources ({@link #completeThrough()}): no event before it can still arrive, so
 * events before it are released in event-time order (ties: {@link MarketSource} order, then arrival within a
 * source). An event older than what was already released is late and refused.
 *
 * <p>Expected sources: all four until the instrument shows what drives its bars; a trade or book makes klines
 * unexpected, a kline makes trades and books unexpected. A source that never comes, or falls silent without
 * heartbeats, holds everything back until the owner declares it {@link #setIdle idle} (the stream does so after a
 * wall-clock silence). What is released therefore depends on event time only as long as every feed sends
 * heartbeats, which all Riptide feeds do.
 *
 * <p>Not thread-safe. {@link #writeTo}/{@link #readFrom} keep the scalar state (watermarks, release point); the
 * owner keeps buffered events durable itself and puts them back with {@link #rebuffer}.
 *
 * @param <E> what the owner buffers per event
 */
public final class EventTimeMerger<E> {
    private static final MarketSource[] SOURCES = MarketSource.values();
    private static final int STATE_FORMAT = 1;
    private static final int STATE_BYTES = 4 + (4 + 8 * SOURCES.length) + SOURCES.length + 16;

    private final long[] watermark = new long[SOURCES.length];
    private final boolean[] expected = new boolean[SOURCES.length];
    private final boolean[] idle = new boolean[SOURCES.length];
    private final PriorityQueue<Entry<E>> buffer = new PriorityQueue<>();
    private long releasedThrough = Long.MIN_VALUE;
    private long nextSeq;

    public EventTimeMerger() {
        Arrays.fill(watermark, Long.MIN_VALUE);
        Arrays.fill(expected, true);
    }

    /** A buffered event: released in (time, source, seq) order. */
    public record Entry<E>(long timeMs, MarketSource source, long seq, E event) implements Comparable<Entry<E>> {
        @Override
        public int compareTo(Entry<E> o) {
            int c = Long.compare(timeMs, o.timeMs);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(source.ordinal(), o.source.ordinal());
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /**
     * Buffers an event unless it is late.
     *
     * @return its sequence number (arrival order, for the owner's durable copy), or -1 when it is late: event time
     *         before {@link #releasedThrough()} has been released already
     */
    public long offer(MarketSource source, long timeMs, E event) {
        if (timeMs < releasedThrough) {
            return -1;
        }
        observe(source, timeMs);
        long seq = nextSeq++;
        buffer.add(new Entry<>(timeMs, source, seq, event));
        return seq;
    }

    /** A source promises it has delivered every event before {@code timeMs}. */
    public void heartbeat(MarketSource source, long timeMs) {
        observe(source, timeMs);
    }

    private void observe(MarketSource source, long timeMs) {
        int i = source.ordinal();
        watermark[i] = Math.max(watermark[i], timeMs);
        idle[i] = false;
        if (source.drivesTradeBars()) {
            expected[MarketSource.KLINES.ordinal()] = false;
        } else if (source == MarketSource.KLINES) {
            expected[MarketSource.TRADES.ordinal()] = false;
            expected[MarketSource.BOOKS.ordinal()] = false;
        }
    }

    /** Declares a silent source idle (it no longer holds event time back) or, with false, waited for again. */
    public void setIdle(MarketSource source, boolean isIdle) {
        idle[source.ordinal()] = isIdle;
    }

    public boolean isIdle(MarketSource source) {
        return idle[source.ordinal()];
    }

    /** Sources event time waits for: expected and not idle. */
    public boolean waitsFor(MarketSource source) {
        return expected[source.ordinal()] && !idle[source.ordinal()];
    }

    public long watermark(MarketSource source) {
        return watermark[source.ordinal()];
    }

    /**
     * Event time up to which (exclusive) every event has arrived: the lowest watermark of the sources waited for,
     * never lower than what was already released; {@code Long.MIN_VALUE} while one of them has not been heard from.
     */
    public long completeThrough() {
        long low = Long.MAX_VALUE;
        boolean any = false;
        for (int i = 0; i < SOURCES.length; i++) {
            if (expected[i] && !idle[i]) {
                low = Math.min(low, watermark[i]);
                any = true;
            }
        }
        return any ? Math.max(low, releasedThrough) : releasedThrough;
    }

    /** Everything before this has been released. */
    public long releasedThrough() {
        return releasedThrough;
    }

    /**
     * The next event before {@link #completeThrough()}, in event-time order, or null when none is due. Once it returns
     * null the release point has moved up to {@code completeThrough()}.
     */
    public Entry<E> poll() {
        long complete = completeThrough();
        Entry<E> head = buffer.peek();
        if (head != null && head.timeMs() < complete) {
            return buffer.poll();
        }
        releasedThrough = complete;
        return null;
    }

    /** Time of the oldest buffered event, or Long.MAX_VALUE. */
    public long oldestBufferedMs() {
        Entry<E> head = buffer.peek();
        return head == null ? Long.MAX_VALUE : head.timeMs();
    }

    public int buffered() {
        return buffer.size();
    }

    /** Visits the buffered (not yet released) events, in no particular order. */
    public void forEachBuffered(java.util.function.Consumer<Entry<E>> visitor) {
        buffer.forEach(visitor);
    }

    /**
     * Replaces what the owner buffers with each event by {@code replace}'s result; times, sources, sequence numbers
     * and so the release order stay as they were.
     */
    public void replaceBuffered(java.util.function.Function<Entry<E>, E> replace) {
        java.util.List<Entry<E>> all = new java.util.ArrayList<>(buffer);
        buffer.clear();
        for (Entry<E> e : all) {
            buffer.add(new Entry<>(e.timeMs(), e.source(), e.seq(), replace.apply(e)));
        }
    }

    /** Sequence number the next offered event gets. */
    public long nextSeq() {
        return nextSeq;
    }

    /** Puts back an event that was buffered (not released) when the scalar state was written. */
    public void rebuffer(MarketSource source, long timeMs, long seq, E event) {
        buffer.add(new Entry<>(timeMs, source, seq, event));
    }

    /** The scalar state (watermarks, expectations, release point, sequence); buffered events are the owner's. */
    public byte[] stateBytes() {
        StateWriter w = new StateWriter();
        w.putInt(STATE_FORMAT);
        w.putLongs(watermark);
        for (boolean e : expected) {
            w.putBoolean(e);
        }
        w.putLong(releasedThrough).putLong(nextSeq);
        return w.toByteArray();
    }

    /**
     * Restores {@link #stateBytes()}: sources are waited for again (idleness is the owner's, re-judged after a
     * restart) and the buffer is empty until the owner {@link #rebuffer}s what it kept.
     *
     * @throws IllegalArgumentException for bytes that are not a merger state of this format
     */
    public static <E> EventTimeMerger<E> restore(byte[] bytes) {
        EventTimeMerger<E> m = new EventTimeMerger<>();
        StateReader r = new StateReader(bytes, 0);
        if (bytes.length != STATE_BYTES || r.getInt() != STATE_FORMAT) {
            throw new IllegalArgumentException("not an event-time merger state (" + bytes.length + " bytes)");
        }
        r.getLongs(m.watermark);
        for (int i = 0; i < m.expected.length; i++) {
            m.expected[i] = r.getBoolean();
        }
        m.releasedThrough = r.getLong();
        m.nextSeq = r.getLong();
        return m;
    }
}
