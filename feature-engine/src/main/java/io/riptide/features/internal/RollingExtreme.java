package io.riptide.features.internal;

/** Rolling max (or min) over the last {@code n} values with a monotonic deque: amortised O(1), allocation-free. */
public final class RollingExtreme implements Stateful {
    private final int n;
    private final boolean max;
    private final double[] values;
    private final long[] indices;
    private int head;
    private int size;
    private long count;

    public RollingExtreme(int n, boolean max) {
        this.n = n;
        this.max = max;
        this.values = new double[n];
        this.indices = new long[n];
    }

    public static RollingExtreme max(int n) { return new RollingExtreme(n, true); }

    public static RollingExtreme min(int n) { return new RollingExtreme(n, false); }

    public double update(double x) {
        long idx = count++;
        while (size > 0) {
            int tail = (head + size - 1) % n;
            double t = values[tail];
            if (max ? t <= x : t >= x) size--; else break;
        }
        if (size > 0 && indices[head] <= idx - n) {
            head = (head + 1) % n;
            size--;
        }
        int slot = (head + size) % n;
        values[slot] = x;
        indices[slot] = idx;
        size++;
        return value();
    }

    /** Extreme of the window, NaN before the first value. */
    public double value() { return size == 0 ? Double.NaN : values[head]; }

    public boolean isWarm() { return count >= n; }

    @Override
    public void write(StateWriter w) {
        w.putDoubles(values).putLongs(indices).putInt(head).putInt(size).putLong(count);
    }

    @Override
    public void read(StateReader r) {
        r.getDoubles(values); r.getLongs(indices); head = r.getInt(); size = r.getInt(); count = r.getLong();
        if (head < 0 || head >= n || size < 0 || size > n) throw new IllegalArgumentException("snapshot is corrupt: deque position");
    }
}
