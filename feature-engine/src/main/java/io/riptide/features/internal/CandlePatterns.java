package io.riptide.features.internal;

import static io.riptide.features.internal.CandleAverage.HIGH_LOW;
import static io.riptide.features.internal.CandleAverage.REAL_BODY;

/**
 * Candlestick patterns, each TA-Lib 0.4.0's definition with its default candle settings: CDLENGULFING, CDLDOJI,
 * CDLHAMMER, CDLSHOOTINGSTAR, CDLMORNINGSTAR/CDLEVENINGSTAR (penetration 0.3) and CDL3WHITESOLDIERS/CDL3BLACKCROWS.
 * Values are TA-Lib's ±100 divided by 100 (direction), NaN before TA-Lib's first output (its lookback); the
 * engulfing warm-up is applied by {@link BarFeatures}. Rolling candle averages follow TA-Lib's summation order
 * (see {@link CandleAverage}), so results are identical to TA-Lib's, not just close.
 */
public final class CandlePatterns implements Stateful {
    // TA-Lib 0.4.0's default candle settings (TA_CandleDefaultSettings): range type, averaging period, factor
    private static final int BODY_LONG_PERIOD = 10, BODY_SHORT_PERIOD = 10, BODY_DOJI_PERIOD = 10;
    private static final int SHADOW_VERY_SHORT_PERIOD = 10, NEAR_PERIOD = 5, FAR_PERIOD = 5;
    private static final double BODY_LONG = 1.0, BODY_SHORT = 1.0, BODY_DOJI = 0.1, SHADOW_LONG = 1.0;
    private static final double SHADOW_VERY_SHORT = 0.1, NEAR = 0.2, FAR = 0.6;
    /** CDLMORNINGSTAR / CDLEVENINGSTAR default optInPenetration. */
    private static final double PENETRATION = 0.3;

    /** TA-Lib lookbacks (bar index of the first output) with the default settings. */
    static final int DOJI_LOOKBACK = 10, HAMMER_LOOKBACK = 11, SHOOTING_STAR_LOOKBACK = 11, STAR_LOOKBACK = 12,
            SOLDIERS_LOOKBACK = 12, CROWS_LOOKBACK = 13;

    // newest candle at index 0; CDL3BLACKCROWS looks three candles back
    private final double[] open = new double[4];
    private final double[] high = new double[4];
    private final double[] low = new double[4];
    private final double[] close = new double[4];
    /** Index of the newest bar (-1 before the first); saturates, every rule only asks "past the lookback yet?". */
    private int bar = -1;

    private final CandleAverage dojiBody = new CandleAverage(HIGH_LOW, BODY_DOJI_PERIOD, BODY_DOJI, DOJI_LOOKBACK, 0);
    // hammer and shooting star have the same lookback, so they share their BodyShort and ShadowVeryShort totals
    private final CandleAverage oneBodyShort = new CandleAverage(REAL_BODY, BODY_SHORT_PERIOD, BODY_SHORT, HAMMER_LOOKBACK, 0);
    private final CandleAverage oneShadowVeryShort = new CandleAverage(HIGH_LOW, SHADOW_VERY_SHORT_PERIOD, SHADOW_VERY_SHORT, HAMMER_LOOKBACK, 0);
    private final CandleAverage hammerNear = new CandleAverage(HIGH_LOW, NEAR_PERIOD, NEAR, HAMMER_LOOKBACK, 1);
    private final CandleAverage starBodyLong = new CandleAverage(REAL_BODY, BODY_LONG_PERIOD, BODY_LONG, STAR_LOOKBACK, 2);
    private final CandleAverage starBodyShort = new CandleAverage(REAL_BODY, BODY_SHORT_PERIOD, BODY_SHORT, STAR_LOOKBACK, 1);
    // also the soldiers' BodyShort total: same setting, lookback and candle
    private final CandleAverage starBodyShort2 = new CandleAverage(REAL_BODY, BODY_SHORT_PERIOD, BODY_SHORT, STAR_LOOKBACK, 0);
    private final CandleAverage soldiersShadow2 = new CandleAverage(HIGH_LOW, SHADOW_VERY_SHORT_PERIOD, SHADOW_VERY_SHORT, SOLDIERS_LOOKBACK, 2);
    private final CandleAverage soldiersShadow1 = new CandleAverage(HIGH_LOW, SHADOW_VERY_SHORT_PERIOD, SHADOW_VERY_SHORT, SOLDIERS_LOOKBACK, 1);
    private final CandleAverage soldiersShadow0 = new CandleAverage(HIGH_LOW, SHADOW_VERY_SHORT_PERIOD, SHADOW_VERY_SHORT, SOLDIERS_LOOKBACK, 0);
    private final CandleAverage soldiersNear2 = new CandleAverage(HIGH_LOW, NEAR_PERIOD, NEAR, SOLDIERS_LOOKBACK, 2);
    private final CandleAverage soldiersNear1 = new CandleAverage(HIGH_LOW, NEAR_PERIOD, NEAR, SOLDIERS_LOOKBACK, 1);
    private final CandleAverage soldiersFar2 = new CandleAverage(HIGH_LOW, FAR_PERIOD, FAR, SOLDIERS_LOOKBACK, 2);
    private final CandleAverage soldiersFar1 = new CandleAverage(HIGH_LOW, FAR_PERIOD, FAR, SOLDIERS_LOOKBACK, 1);
    private final CandleAverage crowsShadow2 = new CandleAverage(HIGH_LOW, SHADOW_VERY_SHORT_PERIOD, SHADOW_VERY_SHORT, CROWS_LOOKBACK, 2);
    private final CandleAverage crowsShadow1 = new CandleAverage(HIGH_LOW, SHADOW_VERY_SHORT_PERIOD, SHADOW_VERY_SHORT, CROWS_LOOKBACK, 1);
    private final CandleAverage crowsShadow0 = new CandleAverage(HIGH_LOW, SHADOW_VERY_SHORT_PERIOD, SHADOW_VERY_SHORT, CROWS_LOOKBACK, 0);
    private final CandleAverage[] averages = {dojiBody, oneBodyShort, oneShadowVeryShort, hammerNear, starBodyLong, starBodyShort,
            starBodyShort2, soldiersShadow2, soldiersShadow1, soldiersShadow0, soldiersNear2, soldiersNear1, soldiersFar2,
            soldiersFar1, crowsShadow2, crowsShadow1, crowsShadow0};

    public double engulfing;
    public double hammer = Double.NaN;
    public double shootingStar = Double.NaN;
    public double doji = Double.NaN;
    public double star = Double.NaN;
    public double soldiersCrows = Double.NaN;

    /** Shifts the new bar in (index 0 = newest) and evaluates every pattern. */
    public void update(double o, double h, double l, double c) {
        for (int i = open.length - 1; i > 0; i--) {
            open[i] = open[i - 1];
            high[i] = high[i - 1];
            low[i] = low[i - 1];
            close[i] = close[i - 1];
        }
        open[0] = o;
        high[0] = h;
        low[0] = l;
        close[0] = c;
        if (bar < Integer.MAX_VALUE) bar++;

        doji = bar >= DOJI_LOOKBACK ? (realBody(0) <= avg(dojiBody, 0) ? 1 : 0) : Double.NaN;
        hammer = bar >= HAMMER_LOOKBACK ? hammer() : Double.NaN;
        shootingStar = bar >= SHOOTING_STAR_LOOKBACK ? shootingStar() : Double.NaN;
        star = bar >= STAR_LOOKBACK ? star() : Double.NaN;
        // one feature for both directions: defined once both TA-Lib functions answer
        soldiersCrows = bar >= Math.max(SOLDIERS_LOOKBACK, CROWS_LOOKBACK) ? threeSoldiers() + threeCrows() : Double.NaN;

        engulfing = 0;
        if (bar >= 1) {
            int color = color(0);
            int prevColor = color(1);
            if (color == 1 && prevColor == -1 && c > open[1] && o < close[1]) engulfing = 1;
            else if (color == -1 && prevColor == 1 && o > close[1] && c < open[1]) engulfing = -1;
        }

        // TA-Lib rolls its totals after judging the candle, so an average never includes the candle it judges
        for (CandleAverage a : averages) a.roll(bar, open, high, low, close);
    }

    /** CDLHAMMER: small body, long lower shadow, (almost) no upper shadow, body near or below the prior low. */
    private double hammer() {
        boolean hit = realBody(0) < avg(oneBodyShort, 0)
                && lowerShadow(0) > SHADOW_LONG * realBody(0) // ShadowLong's period is 0: the candle's own body
                && upperShadow(0) < avg(oneShadowVeryShort, 0)
                && Math.min(close[0], open[0]) <= low[1] + avg(hammerNear, 1);
        return hit ? 1 : 0;
    }

    /** CDLSHOOTINGSTAR: small body gapping up, long upper shadow, (almost) no lower shadow. */
    private double shootingStar() {
        boolean hit = realBody(0) < avg(oneBodyShort, 0)
                && upperShadow(0) > SHADOW_LONG * realBody(0)
                && lowerShadow(0) < avg(oneShadowVeryShort, 0)
                && realBodyGapUp(0, 1);
        return hit ? -1 : 0;
    }

    /** CDLMORNINGSTAR (+1) and CDLEVENINGSTAR (-1) with penetration 0.3; the first candle's colour excludes both at once. */
    private double star() {
        if (!(realBody(2) > avg(starBodyLong, 2)
                && realBody(1) <= avg(starBodyShort, 1)
                && realBody(0) > avg(starBodyShort2, 0))) return 0;
        if (color(2) == -1 && realBodyGapDown(1, 2) && color(0) == 1
                && close[0] > close[2] + realBody(2) * PENETRATION) return 1;
        if (color(2) == 1 && realBodyGapUp(1, 2) && color(0) == -1
                && close[0] < close[2] - realBody(2) * PENETRATION) return -1;
        return 0;
    }

    /** CDL3WHITESOLDIERS as +1. */
    private double threeSoldiers() {
        boolean hit = color(2) == 1 && upperShadow(2) < avg(soldiersShadow2, 2)
                && color(1) == 1 && upperShadow(1) < avg(soldiersShadow1, 1)
                && color(0) == 1 && upperShadow(0) < avg(soldiersShadow0, 0)
                && close[0] > close[1] && close[1] > close[2]
                && open[1] > open[2] && open[1] <= close[2] + avg(soldiersNear2, 2)
                && open[0] > open[1] && open[0] <= close[1] + avg(soldiersNear1, 1)
                && realBody(1) > realBody(2) - avg(soldiersFar2, 2)
                && realBody(0) > realBody(1) - avg(soldiersFar1, 1)
                && realBody(0) > avg(starBodyShort2, 0);
        return hit ? 1 : 0;
    }

    /** CDL3BLACKCROWS as -1. */
    private double threeCrows() {
        boolean hit = color(3) == 1
                && color(2) == -1 && lowerShadow(2) < avg(crowsShadow2, 2)
                && color(1) == -1 && lowerShadow(1) < avg(crowsShadow1, 1)
                && color(0) == -1 && lowerShadow(0) < avg(crowsShadow0, 0)
                && open[1] < open[2] && open[1] > close[2]
                && open[0] < open[1] && open[0] > close[1]
                && high[3] > close[2]
                && close[2] > close[1] && close[1] > close[0];
        return hit ? -1 : 0;
    }

    private double avg(CandleAverage a, int k) { return a.average(open[k], high[k], low[k], close[k]); }

    private double realBody(int k) { return Math.abs(close[k] - open[k]); }

    /** TA-Lib's TA_UPPERSHADOW. */
    private double upperShadow(int k) { return high[k] - (close[k] >= open[k] ? close[k] : open[k]); }

    /** TA-Lib's TA_LOWERSHADOW. */
    private double lowerShadow(int k) { return (close[k] >= open[k] ? open[k] : close[k]) - low[k]; }

    /** TA-Lib's TA_CANDLECOLOR: white (1) when close >= open. */
    private int color(int k) { return close[k] >= open[k] ? 1 : -1; }

    /** TA-Lib's TA_REALBODYGAPUP(k, j): candle k's body entirely above candle j's. */
    private boolean realBodyGapUp(int k, int j) { return Math.min(open[k], close[k]) > Math.max(open[j], close[j]); }

    /** TA-Lib's TA_REALBODYGAPDOWN(k, j). */
    private boolean realBodyGapDown(int k, int j) { return Math.max(open[k], close[k]) < Math.min(open[j], close[j]); }

    @Override
    public void write(StateWriter w) {
        w.putDoubles(open).putDoubles(high).putDoubles(low).putDoubles(close).putInt(bar);
        for (CandleAverage a : averages) a.write(w);
        w.putDouble(engulfing).putDouble(hammer).putDouble(shootingStar).putDouble(doji).putDouble(star).putDouble(soldiersCrows);
    }

    @Override
    public void read(StateReader r) {
        r.getDoubles(open); r.getDoubles(high); r.getDoubles(low); r.getDoubles(close); bar = r.getInt();
        if (bar < -1) throw new IllegalArgumentException("snapshot is corrupt: candle bar index " + bar);
        for (CandleAverage a : averages) a.read(r);
        engulfing = r.getDouble(); hammer = r.getDouble(); shootingStar = r.getDouble(); doji = r.getDouble();
        star = r.getDouble(); soldiersCrows = r.getDouble();
    }
}
