package io.riptide.features.internal;

/** TA-Lib RSI: Wilder smoothing of average gain/loss, seeded by the simple mean of the first {@code n} changes. Warm after n+1 values. */
public final class Rsi implements Stateful {
    private final int n;
    private int count;
    private double prev;
    private double gain;
    private double loss;
    private double value = Double.NaN;

    public Rsi(int n) { this.n = n; }

    public double update(double x) {
        if (count == 0) {
            prev = x;
            count = 1;
            return value;
        }
        double diff = x - prev;
        prev = x;
        if (count <= n) {
            if (diff < 0) loss -= diff; else gain += diff;
            count++;
            if (count == n + 1) {
                loss /= n;
                gain /= n;
                value = output();
            }
            return value;
        }
        loss *= (n - 1);
        gain *= (n - 1);
        if (diff < 0) loss -= diff; else gain += diff;
        loss /= n;
        gain /= n;
        value = output();
        return value;
    }

    private double output() {
        double sum = gain + loss;
        return TaLib.isZero(sum) ? 0.0 : 100.0 * (gain / sum);
    }

    public double value() { return value; }

    @Override
    public void write(StateWriter w) {
        w.putInt(count).putDouble(prev).putDouble(gain).putDouble(loss).putDouble(value);
    }

    @Override
    public void read(StateReader r) {
        count = r.getInt(); prev = r.getDouble(); gain = r.getDouble(); loss = r.getDouble(); value = r.getDouble();
    }
}
