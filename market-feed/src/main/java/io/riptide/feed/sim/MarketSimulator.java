package io.riptide.feed.sim;

import io.riptide.feed.MarketEventSink;
import io.riptide.feed.sim.internal.InstrumentModel;
import io.riptide.feed.sim.internal.SimEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A seeded market of several instruments with regimes, clustered trade arrivals, realistic books and leveraged
 * positions whose liquidations cascade (docs/SIMULATOR.md). Time is event time only: {@link #runUntil} produces as
 * fast as the caller consumes, and pacing against a wall clock is the caller's business.
 *
 * <p>Deterministic: the same config yields the same events, whatever the sequence of {@code runUntil} targets.
 * Not thread-safe.
 */
public final class MarketSimulator {

    /** Instruments advance in lock step by this much event time. */
    static final long STEP_MS = 1_000;

    private final SimulatorConfig config;
    private final List<InstrumentModel> models;
    private final ArrayDeque<SimEvent> pending = new ArrayDeque<>();
    private final List<SimEvent> stepBuffer = new ArrayList<>();
    private long nextStepMs;
    private long currentTimeMs;

    public MarketSimulator(SimulatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        List<InstrumentModel> list = new ArrayList<>();
        for (int i = 0; i < config.instruments().size(); i++) {
            list.add(new InstrumentModel(config, i));
        }
        this.models = List.copyOf(list);
        this.nextStepMs = config.startTimeMs();
        this.currentTimeMs = config.startTimeMs();
    }

    public SimulatorConfig config() {
        return config;
    }

    /**
     * Emits every event with exchange time before {@code eventTimeMs} not emitted yet, across all instruments in
     * non-decreasing event-time order, and returns how many. A target at or before {@link #currentTimeMs()} emits
     * nothing.
     */
    public long runUntil(long eventTimeMs, MarketEventSink sink) {
        Objects.requireNonNull(sink, "sink");
        long emitted = 0;
        while (true) {
            while (!pending.isEmpty() && pending.peekFirst().timeMs() < eventTimeMs) {
                pending.pollFirst().deliverTo(sink);
                emitted++;
            }
            if (nextStepMs >= eventTimeMs) {
                break;
            }
            generateStep();
        }
        currentTimeMs = Math.max(currentTimeMs, eventTimeMs);
        return emitted;
    }

    /** Event time up to which (exclusive) every event has been emitted. */
    public long currentTimeMs() {
        return currentTimeMs;
    }

    /** The current regime of each instrument, by instrument id: ground truth for tests and demos. */
    public java.util.Map<String, String> regimes() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (InstrumentModel m : models) {
            out.put(m.instrument(), m.regime().name());
        }
        return out;
    }

    private void generateStep() {
        stepBuffer.clear();
        for (InstrumentModel model : models) {
            model.step(nextStepMs, STEP_MS, stepBuffer);
        }
        stepBuffer.sort(SimEvent.ORDER);
        pending.addAll(stepBuffer);
        nextStepMs += STEP_MS;
    }
}
