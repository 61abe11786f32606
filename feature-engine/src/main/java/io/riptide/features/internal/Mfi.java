package io.riptide.features.internal;

/**
 * TA-Lib MFI: positive/negative money flow (typical price x volume) by the sign of the typical-price change,
 * summed over {@code n} bars with running sums; 0 when the total flow is below 1 (TA-Lib's guard). Warm after n+1 bars.
 */
public final class Mfi implements Stateful {
    private final int n;
    private final double[] pos;
    private final double[] neg;
    private int idx;
    private int bars;
    private double prevTp;
    private double posSum;
    private double negSum;
    private double value = Double.NaN;

    public Mfi(int n) {
        this.n = n;
        this.pos = new double[n];
        this.neg = new double[n];
    }

    public double update(double high, double low, double close, double volume) {
        double tp = (high + low + close) / 3.0;
        bars++;
        if (bars == 1) {
            prevTp = tp;
            return value;
        }
        if (bars > n + 1) {
            posSum -= pos[idx];
            negSum -= neg[idx];
        }
        double change = tp - prevTp;
        prevTp = tp;
        double flow = tp * volume;
        if (change < 0) {
            neg[idx] = flow;
            negSum += flow;
            pos[idx] = 0.0;
        } else if (change > 0) {
            pos[idx] = flow;
            posSum += flow;
            neg[idx] = 0.0;
        } else {
            pos[idx] = 0.0;
            neg[idx] = 0.0;
        }
        idx = (idx + 1) % n;
        if (bars >= n + 1) {
            double total = posSum + negSum;
            value = total < 1.0 ? 0.0 : 100.0 * (posSum / total);
        }
        return value;
    }

    public double value() { return value; }

    @Override
    public void write(StateWriter w) {
        w.putDoubles(pos).putDoubles(neg).putInt(idx).putInt(bars).putDouble(prevTp).putDouble(posSum).putDouble(negSum).putDouble(value);
    }

    @Override
    public void read(StateReader r) {
        r.getDoubles(pos); r.getDoubles(neg); idx = r.getInt(); bars = r.getInt(); prevTp = r.getDouble(); posSum = r.getDouble();
        negSum = r.getDouble(); value = r.getDouble();
        if (idx < 0 || idx >= n) throw new IllegalArgumentException("snapshot is corrupt: MFI index");
    }
}
