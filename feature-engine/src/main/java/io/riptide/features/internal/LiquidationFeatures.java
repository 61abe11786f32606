package io.riptide.features.internal;

import java.util.List;

/**
 * Liquidation features over exact time windows (t - W, t]. Events are kept in a ring for the longest window
 * (60 min, up to {@link #CAPACITY} events; an overflow evicts the oldest and is counted). The cascade intensity
 * is the notional decayed exponentially with a {@link #CASCADE_HALF_LIFE_MS} half-life.
 */
public final class LiquidationFeatures implements Stateful {
    public static final List<String> NAMES = List.of(
            "liq_long_notional_1m", "liq_long_notional_5m", "liq_long_notional_15m", "liq_long_notional_60m",
            "liq_short_notional_1m", "liq_short_notional_5m", "liq_short_notional_15m", "liq_short_notional_60m",
            "liq_notional_1m", "liq_notional_5m", "liq_notional_15m", "liq_notional_60m",
            "liq_count_1m", "liq_count_5m", "liq_count_15m", "liq_count_60m",
            "liq_side_imbalance_5m", "liq_side_imbalance_15m", "liq_side_imbalance_60m",
            "liq_seconds_since_last", "liq_cascade_intensity",
            "liq_to_volume_5m", "liq_to_volume_60m", "liq_max_notional_15m", "liq_mean_notional_15m");

    public static final int CAPACITY = 4096;
    public static final long CASCADE_HALF_LIFE_MS = 60_000L;
    private static final long[] WINDOWS_MS = {60_000L, 300_000L, 900_000L, 3_600_000L};
    private static final long MAX_WINDOW_MS = 3_600_000L;

    private final long[] times = new long[CAPACITY];
    private final int[] sides = new int[CAPACITY];
    private final double[] notionals = new double[CAPACITY];
    private int head;
    private int size;
    private long overflowed;
    private long total;
    private long lastMs = Long.MIN_VALUE;
    private double cascade;
    private long cascadeMs;
    private final double[] longSum = new double[4];
    private final double[] shortSum = new double[4];
    private final double[] unknownSum = new double[4];
    private final double[] count = new double[4];

    public void onLiquidation(long timeMs, int positionSide, double notional) {
        if (size > 0 && timeMs < times[(head + size - 1) % CAPACITY]) {
            // keep the ring time-ordered: an out-of-order event is placed at the newest time seen
            timeMs = times[(head + size - 1) % CAPACITY];
        }
        while (size > 0 && times[head] <= timeMs - MAX_WINDOW_MS) {
            head = (head + 1) % CAPACITY;
            size--;
        }
        if (size == CAPACITY) {
            head = (head + 1) % CAPACITY;
            size--;
            overflowed++;
        }
        int slot = (head + size) % CAPACITY;
        times[slot] = timeMs;
        sides[slot] = Integer.signum(positionSide);
        notionals[slot] = notional;
        size++;
        total++;
        cascade = decayedCascade(timeMs) + notional;
        cascadeMs = Math.max(cascadeMs, timeMs);
        lastMs = Math.max(lastMs, timeMs);
    }

    private double decayedCascade(long asOfMs) {
        if (total == 0) return 0.0;
        long dt = Math.max(0L, asOfMs - cascadeMs);
        return cascade * Math.pow(0.5, (double) dt / CASCADE_HALF_LIFE_MS);
    }

    public long overflowed() { return overflowed; }

    @Override
    public void write(StateWriter w) {
        w.putInt(size).putLong(overflowed).putLong(total).putLong(lastMs).putDouble(cascade).putLong(cascadeMs);
        // live entries only, oldest first, so a quiet instrument's snapshot stays small
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % CAPACITY;
            w.putLong(times[slot]).putInt(sides[slot]).putDouble(notionals[slot]);
        }
    }

    @Override
    public void read(StateReader r) {
        int n = r.getInt();
        if (n < 0 || n > CAPACITY) throw new IllegalArgumentException("snapshot is corrupt: " + n + " liquidations held");
        overflowed = r.getLong();
        total = r.getLong();
        lastMs = r.getLong();
        cascade = r.getDouble();
        cascadeMs = r.getLong();
        for (int i = 0; i < n; i++) {
            times[i] = r.getLong();
            sides[i] = r.getInt();
            notionals[i] = r.getDouble();
        }
        head = 0;
        size = n;
    }

    public long total() { return total; }

    /**
     * @param tradedNotional5m  quote volume traded in the last 5 minutes (from bars), NaN if unknown
     * @param tradedNotional60m quote volume traded in the last 60 minutes (from bars), NaN if unknown
     */
    public void write(long asOfMs, double tradedNotional5m, double tradedNotional60m, double[] dst, int off) {
        for (int w = 0; w < 4; w++) {
            longSum[w] = 0;
            shortSum[w] = 0;
            unknownSum[w] = 0;
            count[w] = 0;
        }
        double max15 = 0;
        for (int i = size - 1; i >= 0; i--) {
            int slot = (head + i) % CAPACITY;
            long t = times[slot];
            if (t > asOfMs) continue;
            long age = asOfMs - t;
            if (age >= MAX_WINDOW_MS) break;
            double x = notionals[slot];
            for (int w = 0; w < 4; w++) {
                if (age < WINDOWS_MS[w]) {
                    if (sides[slot] > 0) longSum[w] += x;
                    else if (sides[slot] < 0) shortSum[w] += x;
                    else unknownSum[w] += x;
                    count[w]++;
                }
            }
            if (age < WINDOWS_MS[2] && x > max15) max15 = x;
        }
        for (int w = 0; w < 4; w++) {
            dst[off + w] = longSum[w];
            dst[off + 4 + w] = shortSum[w];
            dst[off + 8 + w] = longSum[w] + shortSum[w] + unknownSum[w];
            dst[off + 12 + w] = count[w];
        }
        for (int w = 1; w < 4; w++) {
            double sided = longSum[w] + shortSum[w];
            dst[off + 15 + w] = sided > 0 ? (longSum[w] - shortSum[w]) / sided : 0.0;
        }
        dst[off + 19] = total == 0 || lastMs > asOfMs ? Double.NaN : (asOfMs - lastMs) / 1000.0;
        dst[off + 20] = decayedCascade(asOfMs);
        dst[off + 21] = tradedNotional5m > 0 ? dst[off + 9] / tradedNotional5m : Double.NaN;
        dst[off + 22] = tradedNotional60m > 0 ? dst[off + 11] / tradedNotional60m : Double.NaN;
        dst[off + 23] = max15;
        dst[off + 24] = count[2] > 0 ? dst[off + 10] / count[2] : 0.0;
    }
}
