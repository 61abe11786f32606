package io.riptide.features.internal;

/**
 * TA-Lib MACD. TA-Lib seeds the fast EMA so that it starts on the same bar as the slow one: the fast EMA is
 * fed from bar (slow - fast) on, so both seed on bar slow-1; the signal EMA is fed the MACD line from there.
 * Line, signal and histogram are emitted from bar slow+signal-2 (TA-Lib's lookback), i.e. warm after slow+signal-1 bars.
 */
public final class Macd implements Stateful {
    private final int fastStart;
    private final int warmBars;
    private final Ema fast;
    private final Ema slow;
    private final Ema signal;
    private int bars;
    private double line = Double.NaN;
    private double signalValue = Double.NaN;
    private double hist = Double.NaN;

    public Macd(int fastN, int slowN, int signalN) {
        if (slowN < fastN) throw new IllegalArgumentException("MACD slow period must be >= fast period");
        this.fastStart = slowN - fastN;
        this.warmBars = slowN + signalN - 1;
        this.fast = new Ema(fastN);
        this.slow = new Ema(slowN);
        this.signal = new Ema(signalN);
    }

    public void update(double x) {
        bars++;
        slow.update(x);
        if (bars > fastStart) fast.update(x);
        if (slow.isWarm()) {
            double m = fast.value() - slow.value();
            double s = signal.update(m);
            if (bars >= warmBars) {
                line = m;
                signalValue = s;
                hist = m - s;
            }
        }
    }

    public double line() { return line; }

    public double signal() { return signalValue; }

    public double histogram() { return hist; }

    @Override
    public void write(StateWriter w) {
        fast.write(w); slow.write(w); signal.write(w); w.putInt(bars).putDouble(line).putDouble(signalValue).putDouble(hist);
    }

    @Override
    public void read(StateReader r) {
        fast.read(r); slow.read(r); signal.read(r); bars = r.getInt(); line = r.getDouble(); signalValue = r.getDouble(); hist = r.getDouble();
    }
}
