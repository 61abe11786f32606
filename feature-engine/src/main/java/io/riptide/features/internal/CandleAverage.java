package io.riptide.features.internal;

/**
 * One of TA-Lib's candle settings (BodyLong, BodyShort, ShadowVeryShort, Near, Far, ...) as a streaming running
 * total, reproducing TA-Lib 0.4.0's {@code TA_CANDLEAVERAGE} bit for bit. TA-Lib sums the ranges of the
 * {@code period} candles before the candle it judges once, starting at a fixed bar, and then rolls the total with
 * {@code total += range(new) - range(trailing)}; floating-point sums depend on where they started, so each total
 * here has its own first bar ({@code lookback - barsBack - period}) and the candle it trails ({@code barsBack} bars
 * before the newest), exactly like TA-Lib's per-candle totals (e.g. ShadowVeryShortPeriodTotal[2], [1], [0]).
 * With period 0 TA-Lib uses the judged candle's own range instead of an average.
 */
final class CandleAverage implements Stateful {
    static final int REAL_BODY = 0;
    static final int HIGH_LOW = 1;
    static final int SHADOWS = 2;

    private final int rangeType;
    private final int period;
    private final double factor;
    private final int firstBar;
    private final int barsBack;
    private final Ring ranges;
    private double total;

    /**
     * @param lookback TA-Lib's lookback of the pattern: its first output is at bar index {@code lookback}
     * @param barsBack which candle the average is for, counted back from the pattern's newest candle (0 = newest)
     */
    CandleAverage(int rangeType, int period, double factor, int lookback, int barsBack) {
        if (rangeType < REAL_BODY || rangeType > SHADOWS) throw new IllegalArgumentException("candle range type must be 0..2, got " + rangeType);
        if (period < 0) throw new IllegalArgumentException("candle average period must be >= 0, got " + period);
        this.rangeType = rangeType;
        this.period = period;
        this.factor = factor;
        this.barsBack = barsBack;
        this.firstBar = lookback - barsBack - period;
        if (firstBar < 0) throw new IllegalArgumentException("candle average needs lookback >= barsBack + period, got " + lookback);
        this.ranges = period > 0 ? new Ring(period) : null;
    }

    /** TA-Lib's {@code TA_CANDLERANGE}. */
    static double range(int rangeType, double o, double h, double l, double c) {
        return switch (rangeType) {
            case REAL_BODY -> Math.abs(c - o);
            case HIGH_LOW -> h - l;
            default -> (h - l) - Math.abs(c - o);
        };
    }

    /**
     * Called once per bar after the patterns were judged (TA-Lib updates its totals after the comparison, so the
     * average never includes the judged candle). {@code bar} is the newest bar's index; history index 0 is newest.
     */
    void roll(int bar, double[] open, double[] high, double[] low, double[] close) {
        if (period == 0 || bar - barsBack < firstBar) return;
        double r = range(rangeType, open[barsBack], high[barsBack], low[barsBack], close[barsBack]);
        if (ranges.isFull()) total += r - ranges.oldest();
        else total += r;
        ranges.push(r);
    }

    /** TA-Lib's {@code TA_CANDLEAVERAGE} for the candle {@code barsBack} before the newest (its OHLC given). */
    double average(double o, double h, double l, double c) {
        return factor * (period != 0 ? total / period : range(rangeType, o, h, l, c)) / (rangeType == SHADOWS ? 2.0 : 1.0);
    }

    @Override
    public void write(StateWriter w) {
        w.putDouble(total);
        if (ranges != null) ranges.write(w);
    }

    @Override
    public void read(StateReader r) {
        total = r.getDouble();
        if (ranges != null) ranges.read(r);
    }
}
