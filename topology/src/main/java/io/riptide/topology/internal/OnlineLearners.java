package io.riptide.topology.internal;

import io.riptide.topology.StreamConfig;

import java.util.Arrays;
import java.util.List;

/**
 * The instruments' online learners (one per instrument and horizon), blended with the batch model.
 *
 * <p>At every bar close a learner first learns, oldest first, the label of every queued bar whose window and grace
 * have passed by this bar's end (the label of the outcomes topic), then predicts the bar just closed. What a learner
 * knows at a bar therefore depends on event time only: never on batching, punctuation timing or restarts. Learners
 * and the queue of bars not yet learned live in the instrument store.
 */
final class OnlineLearners {
    private final StreamConfig config;
    private final long maxHorizonMs;

    OnlineLearners(StreamConfig config) {
        this.config = config;
        this.maxHorizonMs = config.horizonsMinutes().stream().mapToLong(h -> h * 60_000L).max().orElse(0);
    }

    boolean enabled() {
        return config.serving().onlineWeight() > 0;
    }

    /**
     * Learns what is final by {@code barEnd}, queues the bar for learning later and returns each horizon's
     * probability for it, NaN where the learner is off or has not learned enough to be blended in.
     */
    double[] learnAndPredict(InstrumentStore store, String instrument, InstrumentState state, long barEnd,
                             double[] features) {
        List<Integer> horizons = config.horizonsMinutes();
        double[] p = new double[horizons.size()];
        Arrays.fill(p, Double.NaN);
        if (!enabled()) {
            return p;
        }
        List<InstrumentState.LearnableBar> queue = store.learnQueue(instrument, state);
        for (int h = 0; h < p.length; h++) {
            int horizon = horizons.get(h);
            InstrumentState.OnlineLearner learner = store.online(instrument, state, horizon);
            if (learnFinalLabels(store, instrument, queue, learner, horizon * 60_000L, barEnd)) {
                store.saveOnline(instrument, horizon, learner);
            }
            if (learner.model.updates() >= config.serving().onlineMinUpdates()) {
                p[h] = learner.model.predict(features);
            }
        }
        store.dropLearned(instrument, state, barEnd - maxHorizonMs - config.outcomeGraceMs());
        store.queueForLearning(instrument, state, barEnd, features);
        return p;
    }

    private boolean learnFinalLabels(InstrumentStore store, String instrument,
                                     List<InstrumentState.LearnableBar> queue, InstrumentState.OnlineLearner learner,
                                     long horizonMs, long barEnd) {
        boolean learned = false;
        for (InstrumentState.LearnableBar bar : queue) {
            if (bar.endMs() + horizonMs + config.outcomeGraceMs() > barEnd) {
                break;
            }
            if (bar.endMs() > learner.learnedThroughMs) {
                double realized = store.liquidationNotional(instrument, bar.endMs(), bar.endMs() + horizonMs);
                learner.model.learnOne(bar.features(), realized > config.liquidationThreshold() ? 1 : 0);
                learner.learnedThroughMs = bar.endMs();
                learned = true;
            }
        }
        return learned;
    }

    /** The end of the oldest bar some learner has yet to learn (its label needs liquidations after it). */
    long oldestUnlearnedBar(InstrumentStore store, String instrument, InstrumentState state) {
        if (!enabled()) {
            return Long.MAX_VALUE;
        }
        List<InstrumentState.LearnableBar> queue = store.learnQueue(instrument, state);
        return queue.isEmpty() ? Long.MAX_VALUE : queue.get(0).endMs();
    }
}
