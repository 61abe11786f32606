package io.riptide.features.internal;

/** TA-Lib SMA: running total in TA-Lib's order (add newest, emit, drop oldest). Warm after {@code n} values. */
public final class Sma implements Stateful {
    private final int n;
    private final Ring window;
    private double total;
    private double value = Double.NaN;

    public Sma(int n) {
        this.n = n;
        this.window = new Ring(n);
    }

    public double update(double x) {
        window.push(x);
        total += x;
        if (window.isFull()) {
            value = total / n;
            total -= window.oldest();
        }
        return value;
    }

    public double value() { return value; }

    public boolean isWarm() { return window.isFull(); }

    @Override
    public void write(StateWriter w) {
        window.write(w); w.putDouble(total).putDouble(value);
    }

    @Override
    public void read(StateReader r) {
        window.read(r); total = r.getDouble(); value = r.getDouble();
    }
}
