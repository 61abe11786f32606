package io.riptide.features.internal;

/**
 * TA-Lib CCI on the typical price (H+L+C)/3: (tp - mean) / (0.015 * mean absolute deviation). The mean absolute
 * deviation needs the whole window, so this is O(n) per bar, summed in TA-Lib's circular-buffer order.
 */
public final class Cci implements Stateful {
    private final int n;
    private final double[] circ;
    private int idx;
    private int count;
    private double value = Double.NaN;

    public Cci(int n) {
        this.n = n;
        this.circ = new double[n];
    }

    public double update(double high, double low, double close) {
        double last = (high + low + close) / 3;
        circ[idx] = last;
        idx = (idx + 1) % n;
        count++;
        if (count < n) return value;
        double avg = 0;
        for (int j = 0; j < n; j++) avg += circ[j];
        avg /= n;
        double dev = 0;
        for (int j = 0; j < n; j++) dev += Math.abs(circ[j] - avg);
        double diff = last - avg;
        value = (diff != 0.0 && dev != 0.0) ? diff / (0.015 * (dev / n)) : 0.0;
        return value;
    }

    public double value() { return value; }

    @Override
    public void write(StateWriter w) {
        w.putDoubles(circ).putInt(idx).putInt(count).putDouble(value);
    }

    @Override
    public void read(StateReader r) {
        r.getDoubles(circ); idx = r.getInt(); count = r.getInt(); value = r.getDouble();
        if (idx < 0 || idx >= n) throw new IllegalArgumentException("snapshot is corrupt: CCI index");
    }
}
