package io.riptide.topology.internal;

import io.riptide.schemas.avro.BarrierHit;

/**
 * The pattern-success label, defined once for outcomes and training examples: a signal taken at the close of its
 * bar succeeds when price reaches the profit barrier ({@code entry + k x ATR} in the signal's direction) before the
 * stop barrier ({@code entry - m x ATR} against it) and before the time barrier ({@code maxBars} bars). Judged on
 * the closed 1-minute bars after the signal bar, in event time:
 * <ul>
 *   <li>a bar whose range holds both barriers is a stop (its path inside the bar is unknown, so the label is
 *       conservative), and so is a bar that opens past the stop;</li>
 *   <li>the exit price is the barrier's, or the open when the bar opened past it (a gap is filled at the open);</li>
 *   <li>with neither touched by the {@code maxBars}-th bar, the signal ends at that bar's close, label 0.</li>
 * </ul>
 *
 * @param direction +1 long, -1 short
 */
record TripleBarrier(int direction, double entry, double profit, double stop, int maxBars) {

    TripleBarrier {
        if (direction != 1 && direction != -1) {
            throw new IllegalArgumentException("direction must be +1 or -1, got " + direction);
        }
        if (maxBars < 1) {
            throw new IllegalArgumentException("maxBars must be at least 1, got " + maxBars);
        }
    }

    static TripleBarrier of(int direction, double entry, double atr, double profitAtr, double stopAtr, int maxBars) {
        return new TripleBarrier(direction, entry, entry + direction * profitAtr * atr,
                entry - direction * stopAtr * atr, maxBars);
    }

    /** How a signal ended. */
    record Resolution(BarrierHit barrier, double exitPrice, double realizedReturn, int barsToHit) {
        int label() {
            return barrier == BarrierHit.PROFIT ? 1 : 0;
        }
    }

    /**
     * Judges the {@code barNumber}-th bar after the signal bar (1 for the next one).
     *
     * @return the resolution, or null while the signal is still open
     */
    Resolution onBar(int barNumber, double open, double high, double low, double close) {
        boolean stopped = direction > 0 ? low <= stop : high >= stop;
        if (stopped) {
            boolean gapped = direction > 0 ? open <= stop : open >= stop;
            return resolve(BarrierHit.STOP, gapped ? open : stop, barNumber);
        }
        boolean won = direction > 0 ? high >= profit : low <= profit;
        if (won) {
            boolean gapped = direction > 0 ? open >= profit : open <= profit;
            return resolve(BarrierHit.PROFIT, gapped ? open : profit, barNumber);
        }
        return barNumber >= maxBars ? resolve(BarrierHit.TIME, close, barNumber) : null;
    }

    private Resolution resolve(BarrierHit barrier, double exit, int barNumber) {
        return new Resolution(barrier, exit, direction * (exit - entry) / entry, barNumber);
    }
}
