package io.riptide.features.internal;

/**
 * TA-Lib ATR: true range from the second bar on, seeded with the simple mean of the first {@code n} true ranges,
 * then Wilder smoothing. Warm after n+1 bars.
 */
public final class Atr implements Stateful {
    private final int n;
    private int bars;
    private double prevClose;
    private double total;
    private double value = Double.NaN;

    public Atr(int n) { this.n = n; }

    public double update(double high, double low, double close) {
        bars++;
        if (bars == 1) {
            prevClose = close;
            return value;
        }
        double tr = TaLib.trueRange(high, low, prevClose);
        prevClose = close;
        if (bars <= n + 1) {
            total += tr;
            if (bars == n + 1) value = total / n;
            return value;
        }
        value *= (n - 1);
        value += tr;
        value /= n;
        return value;
    }

    public double value() { return value; }

    @Override
    public void write(StateWriter w) {
        w.putInt(bars).putDouble(prevClose).putDouble(total).putDouble(value);
    }

    @Override
    public void read(StateReader r) {
        bars = r.getInt(); prevClose = r.getDouble(); total = r.getDouble(); value = r.getDouble();
    }
}
