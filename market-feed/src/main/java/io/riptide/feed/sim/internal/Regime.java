package io.riptide.feed.sim.internal;

/**
 * Market regimes of the simulator and how each one shapes volatility, book depth, trade activity and drift.
 * Transitions form a Markov chain (see {@link #next(double)}): consolidation tends to break out into volatility or
 * a trend, volatility calms into a trend or a range.
 */
public enum Regime {
    //            vol   depth  trades  spread  trend  mean duration (x mean regime minutes)
    TRENDING(     1.00, 1.00,  1.25,   1.0,    true,  1.0),
    SIDEWAYS(     0.60, 1.15,  0.90,   0.9,    false, 1.3),
    VOLATILE(     3.00, 0.50,  1.50,   2.0,    false, 1.0),
    CONSOLIDATION(0.40, 1.40,  0.60,   0.8,    false, 1.0);

    /** Row = from, column = to, in declaration order. Diagonal is zero: the dwell time is modelled separately. */
    private static final double[][] TRANSITIONS = {
            {0.00, 0.40, 0.30, 0.30},
            {0.40, 0.00, 0.25, 0.35},
            {0.35, 0.40, 0.00, 0.25},
            {0.40, 0.20, 0.40, 0.00},
    };

    final double volMultiplier;
    final double depthMultiplier;
    final double tradeRateMultiplier;
    final double spreadMultiplier;
    final boolean trending;
    final double durationFactor;

    Regime(double volMultiplier, double depthMultiplier, double tradeRateMultiplier, double spreadMultiplier,
           boolean trending, double durationFactor) {
        this.volMultiplier = volMultiplier;
        this.depthMultiplier = depthMultiplier;
        this.tradeRateMultiplier = tradeRateMultiplier;
        this.spreadMultiplier = spreadMultiplier;
        this.trending = trending;
        this.durationFactor = durationFactor;
    }

    /** The regime the chain moves to, given a uniform draw in [0, 1). */
    Regime next(double uniform) {
        double[] row = TRANSITIONS[ordinal()];
        double acc = 0;
        for (int i = 0; i < row.length; i++) {
            acc += row[i];
            if (uniform < acc) {
                return values()[i];
            }
        }
        return this == SIDEWAYS ? TRENDING : SIDEWAYS;
    }
}
