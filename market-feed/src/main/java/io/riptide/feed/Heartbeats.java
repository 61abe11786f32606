package io.riptide.feed;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Adds a feed's heartbeats to what it delivers. A source delivers an instrument's records in event-time order
 * across its inputs; so when it delivers a record stamped {@code t}, every record of that instrument stamped
 * before {@code t - skew} has been delivered on every input. For each input that has been quiet for
 * {@code intervalMs} (no record and no heartbeat), a heartbeat at {@code t - skew} says so, and the stream's
 * event-time merge need not wait for that input any longer. {@code skew} is 0 for replays and the simulator (they
 * deliver in exact event-time order) and a few seconds for a live exchange, whose streams are only roughly in
 * order. {@link #finish} heartbeats every input of every instrument at the end of a replay.
 */
public final class Heartbeats implements MarketEventSink {
    /** Trades, books and liquidations: what the simulator, a capture replay and the Binance connector deliver. */
    public static final List<Topic<?>> TRADE_INPUTS = List.of(Topics.TRADES, Topics.BOOKS, Topics.LIQUIDATIONS);
    /** Klines and liquidations: a kline replay. */
    public static final List<Topic<?>> KLINE_INPUTS = List.of(Topics.KLINES, Topics.LIQUIDATIONS);
    public static final long DEFAULT_INTERVAL_MS = 1_000;

    private final MarketEventSink downstream;
    private final List<Topic<?>> inputs;
    private final long intervalMs;
    private final long skewMs;
    private final Map<String, long[]> stamps = new HashMap<>();
    private final Set<String> instruments = new LinkedHashSet<>();
    private long lastDeliveredMs = Long.MIN_VALUE;

    /**
     * @param inputs     the inputs this feed writes (heartbeats go to each of them)
     * @param intervalMs an input quiet for this long (event time) gets a heartbeat
     * @param skewMs     how far out of event-time order the source may deliver across inputs
     */
    public Heartbeats(MarketEventSink downstream, List<Topic<?>> inputs, long intervalMs, long skewMs) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.inputs = List.copyOf(inputs);
        if (intervalMs <= 0 || skewMs < 0) {
            throw new IllegalArgumentException("heartbeat interval must be > 0 and skew >= 0, got " + intervalMs
                    + " and " + skewMs);
        }
        this.intervalMs = intervalMs;
        this.skewMs = skewMs;
    }

    /** Exact event-time order (simulator, replays), one heartbeat per quiet second. */
    public static Heartbeats exact(MarketEventSink downstream, List<Topic<?>> inputs) {
        return new Heartbeats(downstream, inputs, DEFAULT_INTERVAL_MS, 0);
    }

    @Override
    public void onTrade(Trade trade) {
        downstream.onTrade(trade);
        delivered(trade.getInstrument(), Topics.TRADES, trade.getExchangeTimeMs());
    }

    @Override
    public void onBook(BookSnapshot book) {
        downstream.onBook(book);
        delivered(book.getInstrument(), Topics.BOOKS, book.getExchangeTimeMs());
    }

    @Override
    public void onLiquidation(Liquidation liquidation) {
        downstream.onLiquidation(liquidation);
        delivered(liquidation.getInstrument(), Topics.LIQUIDATIONS, liquidation.getExchangeTimeMs());
    }

    /** A kline stands at the last millisecond of its minute, when all of it is known. */
    @Override
    public void onKline(Bar kline) {
        downstream.onKline(kline);
        delivered(kline.getInstrument(), Topics.KLINES, kline.getCloseTimeMs() - 1);
    }

    @Override
    public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
        downstream.onHeartbeat(instrument, input, timeMs);
        long[] stamp = stampsOf(instrument);
        int i = inputs.indexOf(input);
        if (i >= 0) {
            stamp[i] = Math.max(stamp[i], timeMs);
        }
    }

    private void delivered(String instrument, Topic<?> topic, long timeMs) {
        lastDeliveredMs = Math.max(lastDeliveredMs, timeMs);
        long[] stamp = stampsOf(instrument);
        int self = inputs.indexOf(topic);
        if (self >= 0) {
            stamp[self] = Math.max(stamp[self], timeMs);
        }
        long through = timeMs - skewMs;
        for (int i = 0; i < inputs.size(); i++) {
            if (i != self && through - stamp[i] >= intervalMs) {
                stamp[i] = through;
                downstream.onHeartbeat(instrument, inputs.get(i), through);
            }
        }
    }

    private long[] stampsOf(String instrument) {
        return stamps.computeIfAbsent(instrument, k -> {
            instruments.add(k);
            long[] s = new long[inputs.size()];
            java.util.Arrays.fill(s, Long.MIN_VALUE / 2);
            return s;
        });
    }

    /** Everything before {@code timeMs} has been delivered: heartbeats every input of every instrument seen. */
    public void finish(long timeMs) {
        for (String instrument : instruments) {
            long[] stamp = stamps.get(instrument);
            for (int i = 0; i < inputs.size(); i++) {
                if (timeMs > stamp[i]) {
                    stamp[i] = timeMs;
                    downstream.onHeartbeat(instrument, inputs.get(i), timeMs);
                }
            }
        }
    }

    /** The end of a replay: everything up to the latest event time delivered has been delivered. */
    public void finish() {
        if (lastDeliveredMs != Long.MIN_VALUE) {
            finish(lastDeliveredMs + 1);
        }
    }

    /** Instruments delivered so far. */
    public Set<String> instruments() {
        return Set.copyOf(instruments);
    }
}
