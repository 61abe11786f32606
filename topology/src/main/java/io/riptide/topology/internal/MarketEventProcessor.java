package io.riptide.topology.internal;

import io.riptide.features.EventTimeMerger;
import io.riptide.features.FeatureSet;
import io.riptide.features.InstrumentFeatureEngine;
import io.riptide.features.InstrumentTimeline;
import io.riptide.features.MarketSource;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BarSource;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.topology.StreamConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one instrument's market inputs into bars and point-in-time features, in event time only. Records of the
 * instrument's sources (trades, books, liquidations, klines) arrive in whatever order the consumer reads them;
 * an {@link EventTimeMerger} releases them in event-time order once every source has passed them (watermarks from
 * events and feed heartbeats), and an {@link InstrumentTimeline} applies them and closes each bar when event time
 * reaches its end. So the features, and every label and prediction built on them, are the same on every run of the
 * same input, however the topics interleave.
 *
 * <p>Emits bars and feature vectors; hands each closed bar, each released liquidation and each advance of event
 * time to the labeller. A record older than what was released (late), one dated too far ahead of its Kafka record's
 * timestamp ({@code stream.input.max.future.ms}), or a kline on a trade-driven instrument (or a trade or book on a
 * kline-driven one), goes to the dead-letter topic with the reason, and moves neither event time nor a bar clock.
 *
 * <p>A source that falls silent without heartbeats would hold event time back forever; it is declared idle once it
 * has been silent for {@code stream.input.idle.wall.ms} of wall-clock time and is more than
 * {@code stream.input.idle.event.ms} of event time behind the instrument's other sources. It is waited for again
 * as soon as it speaks.
 */
public final class MarketEventProcessor implements Processor<String, Object, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(MarketEventProcessor.class);
    private static final Duration IDLE_CHECK_EVERY = Duration.ofSeconds(1);

    private final StreamConfig config;
    private final FeatureSet featureSet;
    private final double[] features;
    private final int maxChunkBytes;
    private final BufferedEvent.BookScratch scratch = new BufferedEvent.BookScratch();
    private final MarketSource[] sources = MarketSource.values();
    private ProcessorContext<String, Object> context;
    private MarketStore store;
    /** The instrument whose events are being applied, for the bar listener. */
    private String current;
    private boolean replaying;
    private long overflowed;
    private final InstrumentTimeline.BarListener onBarClosed = this::barClosed;

    public MarketEventProcessor(StreamConfig config, FeatureSet featureSet) {
        this(config, featureSet, MarketStore.MAX_CHUNK_BYTES);
    }

    /** With a smaller journal chunk limit, for tests that want many chunks per commit. */
    MarketEventProcessor(StreamConfig config, FeatureSet featureSet, int maxChunkBytes) {
        this.config = config;
        this.featureSet = featureSet;
        this.features = new double[featureSet.size()];
        this.maxChunkBytes = maxChunkBytes;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        CommitHookStore durable = context.getStateStore(NodeNames.MARKET_STORE);
        this.store = new MarketStore(durable.inner(), featureSet, maxChunkBytes);
        durable.beforeCommit(store::commit);
        context.schedule(IDLE_CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::checkIdleSources);
    }

    @Override
    public void process(Record<String, Object> record) {
        String instrument = record.key();
        long wallNow = context.currentSystemTimeMs();
        MarketState state = stateOf(instrument, wallNow);
        byte[] event = encode(record.value());
        MarketSource source = BufferedEvent.sourceOf(event);
        long time = BufferedEvent.timeOf(event);
        long maxFutureMs = config.input().maxFutureMs();
        if (maxFutureMs > 0 && time - record.timestamp() > maxFutureMs) {
            deadLetter(record, source.name().toLowerCase() + (BufferedEvent.isHeartbeat(event) ? " heartbeat" : " event")
                    + " at " + time + " is " + (time - record.timestamp()) + " ms ahead of its record's timestamp "
                    + record.timestamp() + " (stream.input.max.future.ms " + maxFutureMs + ")");
            return;
        }
        state.lastHeardWallMs[source.ordinal()] = wallNow;
        if (BufferedEvent.isHeartbeat(event)) {
            state.merger.heartbeat(source, time);
            store.heard(state);
        } else if (!state.timeline.accepts(source)) {
            deadLetter(record, source.name().toLowerCase() + " at " + time + " on " + (state.timeline.isKlineDriven()
                    ? "a kline-driven" : "a trade-driven") + " instrument: its bars come from "
                    + (state.timeline.isKlineDriven() ? "klines" : "trades") + " only");
            return;
        } else {
            MarketState.Buffered buffered = new MarketState.Buffered(store.chunkFor(state, event.length), event);
            long mergerSeq = state.merger.offer(source, time, buffered);
            if (mergerSeq < 0) {
                deadLetter(record, "late " + source.name().toLowerCase() + " event at " + time + ": every input of "
                        + instrument + " had already passed " + state.merger.releasedThrough());
                return;
            }
            store.offered(state, mergerSeq, buffered);
        }
        updateIdle(instrument, state, wallNow);
        release(instrument, state);
        if (state.merger.buffered() > config.input().maxBufferedEvents()) {
            passOverLaggingSources(instrument, state);
        }
    }

    /**
     * The merger holds more events than {@code stream.input.max.buffered.events}: every source that holds event time
     * back (the lowest watermark among those waited for) is declared idle now, and what that frees is released.
     * Repeats while the buffer stays over the bound, so memory and the market store's chunks stay bounded.
     */
    private void passOverLaggingSources(String instrument, MarketState state) {
        while (state.merger.buffered() > config.input().maxBufferedEvents()) {
            long low = Long.MAX_VALUE;
            for (MarketSource s : sources) {
                if (state.merger.waitsFor(s)) {
                    low = Math.min(low, state.merger.watermark(s));
                }
            }
            if (low == Long.MAX_VALUE) {
                return;
            }
            for (MarketSource s : sources) {
                if (state.merger.waitsFor(s) && state.merger.watermark(s) == low) {
                    state.merger.setIdle(s, true);
                    overflowed++;
                    LOG.warn("{} of {} holds back {} buffered events (stream.input.max.buffered.events {}): event "
                                    + "time no longer waits for it, {}", s, instrument, state.merger.buffered(),
                            config.input().maxBufferedEvents(),
                            low == Long.MIN_VALUE ? "never heard" : "watermark " + low);
                }
            }
            release(instrument, state);
        }
    }

    /** How often a lagging source was passed over because the merger's buffer was full (for tests and metrics). */
    long bufferOverflows() {
        return overflowed;
    }

    /**
     * The instrument's state. Rebuilt after a restart: the events journaled after its snapshot go back through the
     * merger, and what they release is applied again without being emitted again (it was, before the restart).
     */
    private MarketState stateOf(String instrument, long wallNow) {
        if (store.isLoaded(instrument)) {
            return store.state(instrument, wallNow, this::replay);
        }
        MarketState state = store.state(instrument, wallNow, this::replay);
        replaying = true;
        try {
            release(instrument, state);
        } finally {
            replaying = false;
        }
        return state;
    }

    /** An event journaled after the instrument's last snapshot, offered again after a restart. */
    private void replay(MarketState state, long chunk, long mergerSeq, byte[] event) {
        if (state.merger.offer(BufferedEvent.sourceOf(event), BufferedEvent.timeOf(event),
                new MarketState.Buffered(chunk, event)) != mergerSeq) {
            throw new IllegalStateException("event " + mergerSeq + " of market store chunk " + chunk
                    + " does not replay to the same merger sequence");
        }
    }

    /**
     * Applies every event the merger releases, then lets event time reach the release point. Runs after each record
     * and after a source is declared idle; also finishes the replay of a restored instrument.
     */
    private void release(String instrument, MarketState state) {
        current = instrument;
        long before = state.timeline.timeMs();
        EventTimeMerger.Entry<MarketState.Buffered> next;
        while ((next = state.merger.poll()) != null) {
            byte[] event = next.event().event();
            state.released(next.event().chunk());
            BufferedEvent.applyTo(event, state.timeline, scratch, onBarClosed);
            if (next.source() == MarketSource.LIQUIDATIONS && !replaying) {
                context.forward(new Record<>(instrument, new Messages.ReleasedLiquidation(next.timeMs(), next.seq(),
                        BufferedEvent.liquidationNotional(event)), next.timeMs()), NodeNames.LABELLER);
            }
        }
        long complete = state.merger.releasedThrough();
        if (complete != Long.MIN_VALUE) {
            state.timeline.advanceTo(complete, onBarClosed);
        }
        long now = state.timeline.timeMs();
        if (now > before && now != Long.MIN_VALUE && !replaying) {
            context.forward(new Record<>(instrument, new Messages.TimeAdvance(now), now), NodeNames.LABELLER);
        }
    }

    private void barClosed(InstrumentTimeline.ClosedBar bar, InstrumentFeatureEngine engine) {
        if (replaying) {
            return; // rebuilding after a restart: this bar's outputs were committed with the events that closed it
        }
        String instrument = current;
        long barEnd = bar.endMs();
        context.forward(new Record<>(instrument, toBar(instrument, bar), barEnd), NodeNames.BARS_SINK);
        engine.writeFeatures(barEnd, features);
        String regime = engine.regime();
        context.forward(new Record<>(instrument, FeatureVector.newBuilder()
                .setInstrument(instrument).setTimeMs(barEnd)
                .setFeatureSetId(featureSet.id()).setFeatureSetVersion(featureSet.version())
                .setFeatureSetHash(featureSet.hash()).setValues(boxed(features))
                .setWarm(engine.isWarm()).setRegime(regime).build(), barEnd), NodeNames.FEATURES_SINK);
        context.forward(new Record<>(instrument, new ClosedBar(instrument, barEnd, regime, features.clone(),
                new double[0]), barEnd), NodeNames.LABELLER);
        if (config.patterns().enabled()) {
            context.forward(new Record<>(instrument, new Messages.PatternBar(barEnd, bar.open(), bar.high(),
                    bar.low(), bar.close(), engine.atr14(), regime, engine.firedPatterns(), features.clone()),
                    barEnd), NodeNames.PATTERN_SIGNALLER);
        }
    }

    /** Declares sources idle that fell silent (wall clock) while the instrument's event time ran ahead of them. */
    private void checkIdleSources(long wallNow) {
        for (Map.Entry<String, MarketState> e : store.loaded()) {
            if (updateIdle(e.getKey(), e.getValue(), wallNow)) {
                release(e.getKey(), e.getValue());
            }
        }
    }

    private boolean updateIdle(String instrument, MarketState state, long wallNow) {
        long ahead = Long.MIN_VALUE;
        for (MarketSource s : sources) {
            ahead = Math.max(ahead, state.merger.watermark(s));
        }
        if (ahead == Long.MIN_VALUE) {
            return false;
        }
        boolean changed = false;
        for (MarketSource s : sources) {
            if (!state.merger.waitsFor(s)) {
                continue;
            }
            long watermark = state.merger.watermark(s);
            boolean silent = wallNow - state.lastHeardWallMs[s.ordinal()] > config.input().idleWallMs();
            boolean behind = watermark == Long.MIN_VALUE || ahead - watermark > config.input().idleEventMs();
            if (silent && behind) {
                state.merger.setIdle(s, true);
                changed = true;
                LOG.info("{} of {} silent for {} ms and {} behind: event time no longer waits for it", s,
                        instrument, wallNow - state.lastHeardWallMs[s.ordinal()],
                        watermark == Long.MIN_VALUE ? "never heard" : (ahead - watermark) + " ms");
            }
        }
        return changed;
    }

    private byte[] encode(Object value) {
        if (value instanceof Trade t) {
            return BufferedEvent.trade(t.getExchangeTimeMs(), t.getPrice(), t.getQty(), t.getAggressorSide() == Side.BUY);
        } else if (value instanceof BookSnapshot book) {
            int bids = copyLevels(book.getBids(), scratch.bidPx, scratch.bidQty);
            int asks = copyLevels(book.getAsks(), scratch.askPx, scratch.askQty);
            return BufferedEvent.book(book.getExchangeTimeMs(), scratch.bidPx, scratch.bidQty, bids, scratch.askPx,
                    scratch.askQty, asks);
        } else if (value instanceof Liquidation l) {
            int side = l.getPositionSide() == PositionSide.LONG ? 1 : l.getPositionSide() == PositionSide.SHORT ? -1 : 0;
            return BufferedEvent.liquidation(l.getExchangeTimeMs(), side, l.getPrice(), l.getQty(), l.getNotional());
        } else if (value instanceof Bar k) {
            return BufferedEvent.kline(k.getOpenTimeMs(), k.getOpen(), k.getHigh(), k.getLow(), k.getClose(),
                    k.getVolume(), k.getVwap() == null ? Double.NaN : k.getVwap(),
                    k.getTradeCount() == null ? -1 : k.getTradeCount(),
                    k.getTakerBuyVolume() == null ? Double.NaN : k.getTakerBuyVolume());
        } else if (value instanceof Messages.Heartbeat h) {
            return BufferedEvent.heartbeat(h.source(), h.timeMs());
        }
        throw new IllegalArgumentException("not a market event: " + value.getClass().getName());
    }

    private static int copyLevels(List<PriceLevel> levels, double[] px, double[] qty) {
        int n = Math.min(levels.size(), px.length);
        for (int i = 0; i < n; i++) {
            px[i] = levels.get(i).getPrice();
            qty[i] = levels.get(i).getQty();
        }
        return n;
    }

    private void deadLetter(Record<String, Object> record, String reason) {
        Header raw = record.headers().lastHeader(DecodingProcessor.RAW_VALUE_HEADER);
        context.forward(new Record<>(NodeNames.MARKET_PROCESSOR, DeadLetters.of(context, record.timestamp(),
                record.key().getBytes(StandardCharsets.UTF_8), raw == null ? null : raw.value(),
                NodeNames.MARKET_PROCESSOR, reason, null), record.timestamp()), NodeNames.DEADLETTER_SINK);
    }

    private static Bar toBar(String instrument, InstrumentTimeline.ClosedBar bar) {
        return Bar.newBuilder().setInstrument(instrument).setOpenTimeMs(bar.openTimeMs())
                .setCloseTimeMs(bar.endMs()).setOpen(bar.open()).setHigh(bar.high()).setLow(bar.low())
                .setClose(bar.close()).setVolume(bar.volume())
                .setVwap(Double.isNaN(bar.vwap()) ? null : bar.vwap())
                .setTradeCount(bar.tradeCount() < 0 ? null : bar.tradeCount())
                .setTakerBuyVolume(Double.isNaN(bar.takerBuyVolume()) ? null : bar.takerBuyVolume())
                .setSource(bar.fromKline() ? BarSource.KLINES : BarSource.TRADES).build();
    }

    static List<Double> boxed(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return list;
    }
}
