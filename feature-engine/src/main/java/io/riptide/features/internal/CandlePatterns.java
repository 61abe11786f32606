package io.riptide.features.internal;

/**
 * Candlestick patterns over the last three bars, rules as documented in docs/FEATURES.md. Engulfing and doji are
 * TA-Lib's CDLENGULFING and CDLDOJI (doji compares the body with 10% of the mean high-low range of the 10 previous
 * bars, summed in TA-Lib's order); the others are this module's own geometric rules.
 */
public final class CandlePatterns implements Stateful {
    private final double[] open = new double[3];
    private final double[] high = new double[3];
    private final double[] low = new double[3];
    private final double[] close = new double[3];
    private int bars;
    private final Ring dojiRanges = new Ring(DOJI_PERIOD);
    private double dojiRangeTotal;

    private static final int DOJI_PERIOD = 10;
    private static final double DOJI_FACTOR = 0.1;

    public double engulfing;
    public double hammer;
    public double shootingStar;
    public double doji;
    public double star;
    public double soldiersCrows;

    /** Shifts the new bar in (index 0 = newest) and evaluates every pattern. */
    public void update(double o, double h, double l, double c) {
        for (int i = 2; i > 0; i--) {
            open[i] = open[i - 1];
            high[i] = high[i - 1];
            low[i] = low[i - 1];
            close[i] = close[i - 1];
        }
        open[0] = o;
        high[0] = h;
        low[0] = l;
        close[0] = c;
        bars++;

        double range = h - l;
        double body = Math.abs(c - o);
        double upperShadow = h - Math.max(o, c);
        double lowerShadow = Math.min(o, c) - l;
        doji = Double.NaN;
        if (dojiRanges.isFull()) {
            doji = body <= DOJI_FACTOR * (dojiRangeTotal / DOJI_PERIOD) ? 1 : 0;
            dojiRangeTotal += range - dojiRanges.oldest();
        } else {
            dojiRangeTotal += range;
        }
        dojiRanges.push(range);
        hammer = range > 0 && body > 0 && lowerShadow >= 2 * body && upperShadow <= 0.25 * range ? 1 : 0;
        shootingStar = range > 0 && body > 0 && upperShadow >= 2 * body && lowerShadow <= 0.25 * range ? -1 : 0;

        engulfing = 0;
        if (bars >= 2) {
            int color = c >= o ? 1 : -1;
            int prevColor = close[1] >= open[1] ? 1 : -1;
            if (color == 1 && prevColor == -1 && c > open[1] && o < close[1]) engulfing = 1;
            else if (color == -1 && prevColor == 1 && o > close[1] && c < open[1]) engulfing = -1;
        }

        star = 0;
        soldiersCrows = 0;
        if (bars >= 3) {
            double body2 = Math.abs(close[2] - open[2]);
            double range2 = high[2] - low[2];
            double body1 = Math.abs(close[1] - open[1]);
            boolean longFirst = range2 > 0 && body2 >= 0.5 * range2;
            boolean smallMiddle = body1 <= 0.3 * body2;
            double mid2 = (open[2] + close[2]) / 2;
            if (longFirst && smallMiddle && close[2] < open[2] && c > o && c > mid2) star = 1;
            else if (longFirst && smallMiddle && close[2] > open[2] && c < o && c < mid2) star = -1;

            boolean allBull = close[2] > open[2] && close[1] > open[1] && c > o;
            boolean allBear = close[2] < open[2] && close[1] < open[1] && c < o;
            if (allBull && close[1] > close[2] && c > close[1]
                    && open[1] >= open[2] && open[1] <= close[2] && o >= open[1] && o <= close[1]) soldiersCrows = 1;
            else if (allBear && close[1] < close[2] && c < close[1]
                    && open[1] <= open[2] && open[1] >= close[2] && o <= open[1] && o >= close[1]) soldiersCrows = -1;
        }
    }

    @Override
    public void write(StateWriter w) {
        w.putDoubles(open).putDoubles(high).putDoubles(low).putDoubles(close).putInt(bars);
        dojiRanges.write(w);
        w.putDouble(dojiRangeTotal).putDouble(engulfing).putDouble(hammer).putDouble(shootingStar).putDouble(doji).putDouble(star)
                .putDouble(soldiersCrows);
    }

    @Override
    public void read(StateReader r) {
        r.getDoubles(open); r.getDoubles(high); r.getDoubles(low); r.getDoubles(close); bars = r.getInt();
        dojiRanges.read(r);
        dojiRangeTotal = r.getDouble(); engulfing = r.getDouble(); hammer = r.getDouble(); shootingStar = r.getDouble(); doji = r.getDouble();
        star = r.getDouble(); soldiersCrows = r.getDouble();
    }
}
