package io.riptide.features.internal;

import java.io.Serializable;

/** TA-Lib SMA: running total in TA-Lib's order (add newest, emit, drop oldest). Warm after {@code n} values. */
public final class Sma implements Serializable {
    private static final long serialVersionUID = 1L;
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
}
