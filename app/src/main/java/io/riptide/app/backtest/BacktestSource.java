package io.riptide.app.backtest;

import io.riptide.feed.EventTimeSorter;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.MarketEventSink;
import io.riptide.feed.replay.CaptureReplay;
import io.riptide.feed.replay.ContractSizes;
import io.riptide.feed.replay.KlineCsvReplay;
import io.riptide.feed.replay.LiquidationCsvReplay;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.topics.Topic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The backtest's market, delivered in event-time order one step at a time. */
interface BacktestSource {
    /** A simulated market starts here (a fixed date, so runs do not depend on when they ran). */
    long SIMULATION_START_MS = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    /** First minute of the market (inclusive). */
    long startMs();

    /** End of the market (exclusive). */
    long endMs();

    /** Event times of the scripted shifts (none for recorded data). */
    List<Long> shiftsMs();

    /** The inputs this market writes (heartbeats go to each). */
    List<Topic<?>> inputs();

    /** Delivers every event stamped before {@code timeMs} not delivered yet, in event-time order. */
    void deliverBefore(long timeMs, MarketEventSink sink);

    /** What the input is, for reports. */
    String description();

    static BacktestSource of(BacktestOptions o) throws IOException, InterruptedException {
        return o.simulate() ? new Simulated(o) : Recorded.load(o);
    }

    /** The simulator with scripted shifts. */
    final class Simulated implements BacktestSource {
        private final MarketSimulator simulator;
        private final long endMs;
        private final List<Long> shifts;
        private final String description;

        Simulated(BacktestOptions o) {
            List<Long> shifts = new ArrayList<>();
            for (double h : o.shiftHours()) {
                shifts.add(SIMULATION_START_MS + Math.round(h * 3_600_000L) / 60_000L * 60_000L);
            }
            this.shifts = List.copyOf(shifts);
            SimulatorConfig config = SimulatorConfig.defaults(o.seed(), SIMULATION_START_MS)
                    .withInstruments(BacktestOptions.SIMULATED.subList(0, o.instruments()));
            config = Shifts.apply(config, this.shifts);
            this.simulator = new MarketSimulator(config);
            this.endMs = SIMULATION_START_MS + o.marketHours() * 3_600_000L;
            this.description = "simulator, seed " + o.seed() + ", " + o.marketHours() + " market hours of "
                    + config.instruments() + (shifts.isEmpty() ? ", no shift" : ", shifts at hours " + o.shiftHours());
        }

        @Override
        public long startMs() {
            return SIMULATION_START_MS;
        }

        @Override
        public long endMs() {
            return endMs;
        }

        @Override
        public List<Long> shiftsMs() {
            return shifts;
        }

        @Override
        public List<Topic<?>> inputs() {
            return Heartbeats.TRADE_INPUTS;
        }

        @Override
        public void deliverBefore(long timeMs, MarketEventSink sink) {
            simulator.runUntil(Math.min(timeMs, endMs), sink);
        }

        @Override
        public String description() {
            return description;
        }
    }

    /** Recorded files (a capture, or klines with liquidations), merged by event time in memory. */
    final class Recorded implements BacktestSource {
        private final EventTimeSorter events;
        private final long startMs;
        private final long endMs;
        private final List<Topic<?>> inputs;
        private final String description;

        private Recorded(EventTimeSorter events, List<Topic<?>> inputs, String description) {
            this.events = events;
            this.startMs = Math.floorDiv(events.firstTimeMs(), 60_000L) * 60_000L;
            this.endMs = events.lastTimeMs() + 1;
            this.inputs = inputs;
            this.description = description;
        }

        static Recorded load(BacktestOptions o) throws IOException, InterruptedException {
            EventTimeSorter events = new EventTimeSorter();
            List<String> what = new ArrayList<>();
            for (Path p : o.captures()) {
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("capture path does not exist: " + p);
                }
                new CaptureReplay(List.of(p), o.symbol(), 20, 1_000, 0, null).run(events);
                what.add("capture " + p);
            }
            for (Path p : o.klines()) {
                new KlineCsvReplay(p, null, 0).run(events);
                what.add("klines " + p.getFileName());
            }
            for (Path p : o.liquidations()) {
                new LiquidationCsvReplay(p, ContractSizes.defaults(), 0).run(events);
                what.add("liquidations " + p.getFileName());
            }
            if (events.size() == 0) {
                throw new IllegalArgumentException("the recorded input holds no events");
            }
            List<Topic<?>> inputs = o.klines().isEmpty() ? Heartbeats.TRADE_INPUTS : Heartbeats.KLINE_INPUTS;
            return new Recorded(events, inputs, String.join(", ", what));
        }

        @Override
        public long startMs() {
            return startMs;
        }

        @Override
        public long endMs() {
            return endMs;
        }

        @Override
        public List<Long> shiftsMs() {
            return List.of();
        }

        @Override
        public List<Topic<?>> inputs() {
            return inputs;
        }

        @Override
        public void deliverBefore(long timeMs, MarketEventSink sink) {
            events.drainBefore(timeMs, sink);
        }

        @Override
        public String description() {
            return description;
        }
    }
}
