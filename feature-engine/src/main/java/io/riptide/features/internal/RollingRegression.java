package io.riptide.features.internal;

/** Least-squares slope of y on x (with intercept) over the last {@code n} pairs; sums recomputed exactly every n. */
public final class RollingRegression implements Stateful {
    private final int n;
    private final Ring xs;
    private final Ring ys;
    private double sx;
    private double sy;
    private double sxx;
    private double sxy;
    private int sinceExact;

    public RollingRegression(int n) {
        this.n = n;
        this.xs = new Ring(n);
        this.ys = new Ring(n);
    }

    public void update(double x, double y) {
        double ox = xs.push(x);
        double oy = ys.push(y);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        if (!Double.isNaN(ox)) {
            sx -= ox;
            sy -= oy;
            sxx -= ox * ox;
            sxy -= ox * oy;
        }
        if (++sinceExact >= n) {
            sinceExact = 0;
            sx = sy = sxx = sxy = 0;
            for (int i = 0; i < xs.size(); i++) {
                double a = xs.get(i);
                double b = ys.get(i);
                sx += a;
                sy += b;
                sxx += a * a;
                sxy += a * b;
            }
        }
    }

    /** Slope, NaN until n pairs; 0 when x has no variance. */
    public double slope() {
        if (!xs.isFull()) return Double.NaN;
        double varX = sxx - sx * sx / n;
        if (varX <= 0) return 0.0;
        return (sxy - sx * sy / n) / varX;
    }

    @Override
    public void write(StateWriter w) {
        xs.write(w); ys.write(w); w.putDouble(sx).putDouble(sy).putDouble(sxx).putDouble(sxy).putInt(sinceExact);
    }

    @Override
    public void read(StateReader r) {
        xs.read(r); ys.read(r); sx = r.getDouble(); sy = r.getDouble(); sxx = r.getDouble(); sxy = r.getDouble(); sinceExact = r.getInt();
    }
}
