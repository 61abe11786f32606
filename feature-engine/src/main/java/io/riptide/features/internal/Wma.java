package io.riptide.features.internal;

import java.io.Serializable;

/** TA-Lib WMA (weights 1..n, newest heaviest) with TA-Lib's running sums. Warm after {@code n} values. */
public final class Wma implements Serializable {
    private static final long serialVersionUID = 1L;
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
}
