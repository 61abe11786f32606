package io.riptide.features.internal;

/** TA-Lib WMA (weights 1..n, newest heaviest) with TA-Lib's running sums. Warm after {@code n} values. */
public final class Wma implements Stateful {
    private final int n;
    private final double divider;
    private final Ring window;
    private int count;
    private double periodSum;
    private double periodSub;
    private double trailing;
    private double value = Double.NaN;

    public Wma(int n) {
        this.n = n;
        this.divider = (n * (n + 1)) >> 1;
        this.window = new Ring(n);
    }

    public double update(double x) {
        window.push(x);
        count++;
        if (count < n) {
            periodSub += x;
            periodSum += x * count;
            return value;
        }
        periodSub += x;
        periodSub -= trailing;
        periodSum += x * n;
        trailing = window.oldest();
        value = periodSum / divider;
        periodSum -= periodSub;
        return value;
    }

    public double value() { return value; }

    @Override
    public void write(StateWriter w) {
        window.write(w); w.putInt(count).putDouble(periodSum).putDouble(periodSub).putDouble(trailing).putDouble(value);
    }

    @Override
    public void read(StateReader r) {
        window.read(r); count = r.getInt(); periodSum = r.getDouble(); periodSub = r.getDouble(); trailing = r.getDouble(); value = r.getDouble();
    }
}
