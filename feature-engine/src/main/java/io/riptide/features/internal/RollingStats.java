package io.riptide.features.internal;

/**
 * Rolling sum and sum of squares over the last {@code n} values, O(1) per update. Running sums drift by rounding,
 * so they are recomputed exactly from the window every {@code n} updates.
 */
public final class RollingStats implements Stateful {
    private final int n;
    private final Ring window;
    private double sum;
    private double sumSquares;
    private int sinceExact;

    public RollingStats(int n) {
        this.n = n;
        this.window = new Ring(n);
    }

    public void update(double x) {
        double evicted = window.push(x);
        sum += x;
        sumSquares += x * x;
        if (!Double.isNaN(evicted)) {
            sum -= evicted;
            sumSquares -= evicted * evicted;
        }
        if (++sinceExact >= n) {
            sinceExact = 0;
            double s = 0;
            double q = 0;
            for (int i = 0; i < window.size(); i++) {
                double v = window.get(i);
                s += v;
                q += v * v;
            }
            sum = s;
            sumSquares = q;
        }
    }

    public boolean isFull() { return window.isFull(); }

    public int size() { return window.size(); }

    public double sum() { return sum; }

    public double mean() { return sum / window.size(); }

    /** Sample standard deviation (n-1), NaN with fewer than two values. */
    public double sampleStd() {
        int k = window.size();
        if (k < 2) return Double.NaN;
        double var = (sumSquares - sum * sum / k) / (k - 1);
        return var <= 0 ? 0.0 : Math.sqrt(var);
    }

    /** sqrt(mean of squares). */
    public double rootMeanSquare() {
        double ms = sumSquares / window.size();
        return ms <= 0 ? 0.0 : Math.sqrt(ms);
    }

    /** Sum of the values (for windows of non-negative terms, clamped at 0). */
    public double nonNegativeSum() { return Math.max(0.0, sum); }

    /** Fraction of window values strictly below x, plus half of those equal (mid-rank percentile in [0,1]). */
    public double percentileOf(double x) {
        int k = window.size();
        if (k == 0) return Double.NaN;
        double below = 0;
        for (int i = 0; i < k; i++) {
            double v = window.get(i);
            if (v < x) below += 1; else if (v == x) below += 0.5;
        }
        return below / k;
    }

    @Override
    public void write(StateWriter w) {
        window.write(w); w.putDouble(sum).putDouble(sumSquares).putInt(sinceExact);
    }

    @Override
    public void read(StateReader r) {
        window.read(r); sum = r.getDouble(); sumSquares = r.getDouble(); sinceExact = r.getInt();
    }
}
