package io.riptide.features.internal;

import java.util.Arrays;

/**
 * Per-second sums of a few channels over the last {@code slots} seconds; O(1) per event, allocation-free.
 * A window of W seconds as of time t covers the whole seconds (floor(t/1000) - W, floor(t/1000)].
 * An event older than the slot it maps to already holds is counted as {@link #late()}, never folded in.
 */
public final class SecondBuckets implements Stateful {
    private final int slots;
    private final int channels;
    private final long[] second;
    private final double[] sums;
    private long late;

    public SecondBuckets(int slots, int channels) {
        this.slots = slots;
        this.channels = channels;
        this.second = new long[slots];
        this.sums = new double[slots * channels];
        Arrays.fill(second, Long.MIN_VALUE);
    }

    /** Slot for an event at {@code timeMs}, cleared if it held an older second; -1 when the event is too late. */
    public int slot(long timeMs) {
        long sec = Math.floorDiv(timeMs, 1000L);
        int slot = (int) Math.floorMod(sec, (long) slots);
        if (second[slot] == sec) return slot;
        if (second[slot] > sec) {
            late++;
            return -1;
        }
        second[slot] = sec;
        Arrays.fill(sums, slot * channels, slot * channels + channels, 0.0);
        return slot;
    }

    /** True when the slot was (re)started by the last {@link #slot} call and holds nothing yet in {@code channel}. */
    public boolean isEmpty(int slot, int channel) { return sums[slot * channels + channel] == 0.0; }

    public void add(int slot, int channel, double v) { sums[slot * channels + channel] += v; }

    public void set(int slot, int channel, double v) { sums[slot * channels + channel] = v; }

    public double sum(int channel, long asOfMs, int windowSeconds) {
        long asSec = Math.floorDiv(asOfMs, 1000L);
        long from = asSec - windowSeconds;
        double total = 0;
        for (int s = 0; s < slots; s++) {
            long sec = second[s];
            if (sec > from && sec <= asSec) total += sums[s * channels + channel];
        }
        return total;
    }

    /** Value of {@code channel} in the earliest second of the window holding any event, NaN if none. */
    public double earliest(int channel, int countChannel, long asOfMs, int windowSeconds) {
        long asSec = Math.floorDiv(asOfMs, 1000L);
        long from = asSec - windowSeconds;
        long best = Long.MAX_VALUE;
        double v = Double.NaN;
        for (int s = 0; s < slots; s++) {
            long sec = second[s];
            if (sec > from && sec <= asSec && sec < best && sums[s * channels + countChannel] > 0) {
                best = sec;
                v = sums[s * channels + channel];
            }
        }
        return v;
    }

    public long late() { return late; }

    @Override
    public void write(StateWriter w) {
        w.putLongs(second).putDoubles(sums).putLong(late);
    }

    @Override
    public void read(StateReader r) {
        r.getLongs(second); r.getDoubles(sums); late = r.getLong();
    }
}
