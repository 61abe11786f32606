package io.riptide.features.internal;

/**
 * VPIN-style order-flow toxicity (Easley, Lopez de Prado & O'Hara 2012) with the exchange's aggressor side instead
 * of bulk classification: trades fill equal-notional buckets (a trade spanning a boundary is split), and the value
 * is the mean of |buy - sell| / bucket notional over the last {@code n} full buckets. Warm after n buckets.
 */
public final class FlowToxicity implements Stateful {
    private final double bucketNotional;
    private final int n;
    private final Ring imbalances;
    private double buy;
    private double sell;

    public FlowToxicity(double bucketNotional, int n) {
        this.bucketNotional = bucketNotional;
        this.n = n;
        this.imbalances = new Ring(n);
    }

    public void onTrade(double notional, boolean aggressorBuy) {
        double remaining = notional;
        while (remaining > 0) {
            double room = bucketNotional - (buy + sell);
            // Close a bucket when it is full, or so nearly full that floating-point rounding would leave a remainder
            // too small to ever change buy + sell (that used to loop forever).
            if (room <= bucketNotional * 1e-12) {
                closeBucket();
                continue;
            }
            double take = Math.min(room, remaining);
            if (aggressorBuy) buy += take; else sell += take;
            remaining -= take;
            if (take == room) {
                closeBucket();
            }
        }
    }

    private void closeBucket() {
        imbalances.push(Math.abs(buy - sell) / bucketNotional);
        buy = 0;
        sell = 0;
    }

    public double value() {
        if (!imbalances.isFull()) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += imbalances.get(i);
        return sum / n;
    }

    @Override
    public void write(StateWriter w) {
        imbalances.write(w); w.putDouble(buy).putDouble(sell);
    }

    @Override
    public void read(StateReader r) {
        imbalances.read(r); buy = r.getDouble(); sell = r.getDouble();
    }
}
