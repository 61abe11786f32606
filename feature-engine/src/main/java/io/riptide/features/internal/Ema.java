package io.riptide.features.internal;

/** TA-Lib EMA (default compatibility): seeded with the SMA of the first {@code n} values, then k = 2/(n+1). */
public final class Ema implements Stateful {
    private final int n;
    private final double k;
    private int count;
    private double seedTotal;
    private double value = Double.NaN;

    public Ema(int n) {
        this.n = n;
        this.k = TaLib.perToK(n);
    }

    public double update(double x) {
        if (count < n) {
            seedTotal += x;
            count++;
            if (count == n) value = seedTotal / n;
        } else {
            value = ((x - value) * k) + value;
        }
        return value;
    }

    public double value() { return value; }

    public boolean isWarm() { return count >= n; }

    @Override
    public void write(StateWriter w) {
        w.putInt(count).putDouble(seedTotal).putDouble(value);
    }

    @Override
    public void read(StateReader r) {
        count = r.getInt(); seedTotal = r.getDouble(); value = r.getDouble();
    }
}
