package io.riptide.features;

import java.nio.ByteBuffer;

/**
 * The point-in-time rule, defined once for the stream and for offline features: one instrument's market events are
 * applied to its feature engine in event-time order, and a bar is closed as soon as event time reaches its end.
 * The features of the bar ending at {@code E} therefore see every event before {@code E} and nothing at or after it;
 * a label window {@code (E, E + h]} never overlaps them.
 *
 * <ul>
 *   <li>Events must come in non-decreasing event time ({@link EventTimeMerger} puts them in that order).</li>
 *   <li>{@link #advanceTo(long, BarListener)}: event time has reached {@code t}, i.e. every event before {@code t}
 *       has been applied. The open bar closes when {@code t} reaches its end; a trade of a later minute advances
 *       time too. A minute without trades makes no bar, but its books and liquidations still reach the engine.</li>
 *   <li>A kline-driven instrument (recorded klines instead of trades) gets each bar whole through {@link #onKline}:
 *       it stands at the last millisecond of its minute and closes that bar at once. Kline-driven and trade-driven
 *       bars never mix on one instrument.</li>
 * </ul>
 * Not thread-safe. Allocation-free except for snapshots.
 */
public final class InstrumentTimeline {
    public static final long BAR_MILLIS = 60_000L;
    private static final byte UNDECIDED = 0;
    private static final byte TRADE_BARS = 1;
    private static final byte KLINE_BARS = 2;

    private final BarAggregator bars;
    private final InstrumentFeatureEngine engine;
    private final ClosedBar closed = new ClosedBar();
    private long timeMs;
    private byte mode;

    /** Receives each bar as it closes; the engine then holds the state as of the bar's end. */
    public interface BarListener {
        void barClosed(ClosedBar bar, InstrumentFeatureEngine engine);
    }

    /** The bar just closed; one instance per timeline, overwritten at every close. */
    public static final class ClosedBar {
        private long openTimeMs;
        private double open;
        private double high;
        private double low;
        private double close;
        private double volume;
        private double vwap;
        private int tradeCount;
        private double takerBuyVolume;
        private boolean fromKline;

        public long openTimeMs() { return openTimeMs; }

        public long endMs() { return openTimeMs + BAR_MILLIS; }

        public double open() { return open; }

        public double high() { return high; }

        public double low() { return low; }

        public double close() { return close; }

        public double volume() { return volume; }

        /** NaN when unknown (a kline without quote volume). */
        public double vwap() { return vwap; }

        /** -1 when unknown. */
        public int tradeCount() { return tradeCount; }

        /** NaN when unknown. */
        public double takerBuyVolume() { return takerBuyVolume; }

        /** True for a bar that came whole from a kline, false for one built from trades. */
        public boolean fromKline() { return fromKline; }
    }

    public InstrumentTimeline(FeatureSet set) {
        this(new BarAggregator(BAR_MILLIS), new InstrumentFeatureEngine(set), Long.MIN_VALUE, UNDECIDED);
    }

    private InstrumentTimeline(BarAggregator bars, InstrumentFeatureEngine engine, long timeMs, byte mode) {
        this.bars = bars;
        this.engine = engine;
        this.timeMs = timeMs;
        this.mode = mode;
    }

    /** Every event before this time has been applied. */
    public long timeMs() {
        return timeMs;
    }

    public InstrumentFeatureEngine engine() {
        return engine;
    }

    /** End of the bar that will close next (the open bar's), or Long.MAX_VALUE when no bar is open. */
    public long nextBarEndMs() {
        return bars.hasOpenBar() ? bars.openBarEndMs() : Long.MAX_VALUE;
    }

    /** True once a kline has driven this instrument's bars. */
    public boolean isKlineDriven() {
        return mode == KLINE_BARS;
    }

    /** Event time has reached {@code t}: closes the open bar if {@code t} is at or after its end. */
    public void advanceTo(long t, BarListener listener) {
        if (t <= timeMs) {
            return;
        }
        timeMs = t;
        if (bars.closeIfEnded(t)) {
            closed.openTimeMs = bars.closedOpenTimeMs();
            closed.open = bars.closedOpen();
            closed.high = bars.closedHigh();
            closed.low = bars.closedLow();
            closed.close = bars.closedClose();
            closed.volume = bars.closedVolume();
            closed.vwap = bars.closedVwap();
            closed.tradeCount = bars.closedTradeCount();
            closed.takerBuyVolume = bars.closedTakerBuyVolume();
            closed.fromKline = false;
            engine.onBar(closed.openTimeMs, closed.open, closed.high, closed.low, closed.close, closed.volume,
                    closed.vwap, closed.tradeCount, closed.takerBuyVolume);
            listener.barClosed(closed, engine);
        }
    }

    /** @throws IllegalStateException on a kline-driven instrument */
    public void onTrade(long t, double price, double qty, boolean aggressorBuy, BarListener listener) {
        decide(TRADE_BARS, "trade");
        advanceTo(t, listener);
        bars.onTrade(t, price, qty, aggressorBuy);
        engine.onTrade(t, price, qty, aggressorBuy);
    }

    public void onBook(long t, double[] bidPx, double[] bidQty, int bidLevels, double[] askPx, double[] askQty,
                       int askLevels, BarListener listener) {
        decide(TRADE_BARS, "book");
        advanceTo(t, listener);
        engine.onBook(t, bidPx, bidQty, bidLevels, askPx, askQty, askLevels);
    }

    public void onLiquidation(long t, int positionSide, double price, double qty, double notional,
                              BarListener listener) {
        advanceTo(t, listener);
        engine.onLiquidation(t, positionSide, price, qty, notional);
    }

    /**
     * A whole bar from a kline; it stands at the last millisecond of its minute ({@link #klineTimeMs}) and closes
     * at once.
     *
     * @throws IllegalStateException on a trade-driven instrument
     */
    public void onKline(long openTimeMs, double open, double high, double low, double close, double volume,
                        double vwap, int tradeCount, double takerBuyVolume, BarListener listener) {
        decide(KLINE_BARS, "kline");
        advanceTo(klineTimeMs(openTimeMs), listener);
        closed.openTimeMs = openTimeMs;
        closed.open = open;
        closed.high = high;
        closed.low = low;
        closed.close = close;
        closed.volume = volume;
        closed.vwap = vwap;
        closed.tradeCount = tradeCount;
        closed.takerBuyVolume = takerBuyVolume;
        closed.fromKline = true;
        engine.onBar(openTimeMs, open, high, low, close, volume, vwap, tradeCount, takerBuyVolume);
        listener.barClosed(closed, engine);
        timeMs = Math.max(timeMs, openTimeMs + BAR_MILLIS);
    }

    /** The event time a kline stands at: the last millisecond of its minute, when all of it is known. */
    public static long klineTimeMs(long openTimeMs) {
        return openTimeMs + BAR_MILLIS - 1;
    }

    private void decide(byte wanted, String what) {
        if (mode == UNDECIDED) {
            mode = wanted;
        } else if (mode != wanted) {
            throw new IllegalStateException("a " + what + " on a " + (mode == KLINE_BARS ? "kline" : "trade")
                    + "-driven instrument: bars come from " + (mode == KLINE_BARS ? "klines" : "trades") + " only");
        }
    }

    /** Whether an event of this source can be applied: false for trades and books on a kline-driven instrument and vice versa. */
    public boolean accepts(MarketSource source) {
        return switch (source) {
            case TRADES, BOOKS -> mode != KLINE_BARS;
            case KLINES -> mode != TRADE_BARS;
            case LIQUIDATIONS -> true;
        };
    }

    /** Bars, engine, event time and mode; {@link #restore} continues exactly as this timeline would. */
    public byte[] snapshot() {
        byte[] b = bars.snapshot();
        byte[] e = engine.snapshot();
        return ByteBuffer.allocate(1 + 8 + 4 + b.length + 4 + e.length).put(mode).putLong(timeMs).putInt(b.length)
                .put(b).putInt(e.length).put(e).array();
    }

    /** @throws IllegalArgumentException when the bytes are not an intact timeline snapshot for this feature set */
    public static InstrumentTimeline restore(FeatureSet set, byte[] snapshot) {
        try {
            ByteBuffer in = ByteBuffer.wrap(snapshot);
            byte mode = in.get();
            if (mode != UNDECIDED && mode != TRADE_BARS && mode != KLINE_BARS) {
                throw new IllegalArgumentException("unknown bar mode " + mode);
            }
            long time = in.getLong();
            byte[] b = new byte[in.getInt()];
            in.get(b);
            byte[] e = new byte[in.getInt()];
            in.get(e);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            }
            return new InstrumentTimeline(BarAggregator.restore(b), InstrumentFeatureEngine.restore(set, e), time, mode);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("not a valid timeline snapshot: " + ex.getMessage(), ex);
        }
    }
}
