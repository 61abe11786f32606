package io.riptide.topology.internal;

/**
 * The liquidation-risk label, defined once for outcomes, training examples and the online learners: the
 * instrument's liquidation notional with event time in {@code (t, t + horizon]} above the configured threshold.
 * The features of the bar ending at {@code t} saw only events before {@code t}, so label and features never
 * overlap. A label is final once every input of the instrument has passed {@code t + horizon}, i.e. at event time
 * {@link #finalAt} or later.
 */
final class LiquidationLabeller {
    private final double threshold;

    LiquidationLabeller(double threshold) {
        this.threshold = threshold;
    }

    int label(double notionalInWindow) {
        return notionalInWindow > threshold ? 1 : 0;
    }

    /** The event time from which the label of a bar ending at {@code barEndMs} can no longer change. */
    static long finalAt(long barEndMs, long horizonMs) {
        return barEndMs + horizonMs + 1;
    }

    double threshold() {
        return threshold;
    }
}
