package io.riptide.topology.internal;

import io.riptide.features.BarAggregator;
import io.riptide.features.InstrumentFeatureEngine;

import java.util.List;

/** The in-memory view of one instrument's state; {@link InstrumentStore} keeps it durable. */
final class InstrumentState {
    final BarAggregator bars;
    final InstrumentFeatureEngine engine;
    final List<PendingPrediction> pending;
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
