package io.riptide.topology.internal;

import io.riptide.features.BarAggregator;
import io.riptide.features.InstrumentFeatureEngine;
import io.riptide.serving.OnlineLogisticRegression;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The in-memory view of one instrument's state; {@link InstrumentStore} keeps it durable. */
final class InstrumentState {
    final BarAggregator bars;
    final InstrumentFeatureEngine engine;
    final List<PendingPrediction> pending;
    /** The instrument's online learner per horizon (minutes), loaded on first use. */
    final Map<Integer, OnlineLearner> online = new HashMap<>();
    /** Closed bars whose label some horizon's online learner has yet to learn, oldest first; loaded on first use. */
    List<LearnableBar> learnQueue;

    /** An online learner and the end of the last bar it learned. */
    static final class OnlineLearner {
        final OnlineLogisticRegression model;
        long learnedThroughMs;

        OnlineLearner(OnlineLogisticRegression model, long learnedThroughMs) {
            this.model = model;
            this.learnedThroughMs = learnedThroughMs;
        }
    }

    /** A closed bar's features, kept until every horizon's label of it is final and learned. */
    record LearnableBar(long endMs, double[] features) {
    }
    long nextSeq;
    int buffered;

    InstrumentState(BarAggregator bars, InstrumentFeatureEngine engine, List<PendingPrediction> pending,
                    long nextSeq, int buffered) {
        this.bars = bars;
        this.engine = engine;
        this.pending = pending;
        this.nextSeq = nextSeq;
        this.buffered = buffered;
    }
}
