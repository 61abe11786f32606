package io.riptide.topology.internal;

import io.riptide.features.MarketSource;
import io.riptide.features.Pattern;
import io.riptide.schemas.avro.ModelRole;

import java.util.List;

/**
 * What the stream's processors hand each other inside one task (never serialized: they travel by
 * {@code context.forward}). Keys are instrument ids.
 */
final class Messages {
    private Messages() {
    }

    /** A feed's promise that a source of the instrument has delivered every event before {@code timeMs}. */
    record Heartbeat(MarketSource source, long timeMs) {
    }

    /** Every market event of the instrument before {@code timeMs} has been applied (event time only moves on). */
    record TimeAdvance(long timeMs) {
    }

    /**
     * A liquidation, released in event-time order, for labels; {@code seq} (its arrival order among the instrument's
     * liquidations at that time) makes it identifiable if it is released again after a restart.
     */
    record ReleasedLiquidation(long timeMs, long seq, double notional) {
    }

    /**
     * A prediction as it was served.
     *
     * @param probability      what consumers were told (the batch model blended with the online learner, if it is)
     * @param batchProbability the batch model's own probability, which drift and performance monitoring judge
     * @param shadowVersion    the key's shadow version that scored the same bar, {@link #NO_SHADOW} if none did
     * @param shadowProbability that shadow's probability (NaN without one): its outcome is paired with production's
     */
    record ScoredPrediction(String predictionId, long timeMs, int horizonMinutes, String modelKey, int modelVersion,
                            ModelRole role, double probability, double batchProbability, int shadowVersion,
                            double shadowProbability) {
        static final int NO_SHADOW = 0;

        boolean hasShadow() {
            return shadowVersion != NO_SHADOW;
        }
    }

    /** The final label of a bar at one horizon: liquidation notional in (timeMs, timeMs + horizon]. */
    record ResolvedLabel(String predictionId, long timeMs, int horizonMinutes, int label, double realizedNotional) {
    }

    /**
     * The instrument will send no further monitoring sample standing before {@code timeMs} (its event time, held
     * back by bars still waiting for their batch).
     */
    record SampleWatermark(long timeMs) {
    }

    /**
     * A closed bar as the pattern signaller needs it: its prices, ATR(14), regime, the signal patterns it completed
     * and its point-in-time features.
     */
    record PatternBar(long endMs, double open, double high, double low, double close, double atr, String regime,
                      List<Pattern.Fired> fired, double[] features) {
    }
}
