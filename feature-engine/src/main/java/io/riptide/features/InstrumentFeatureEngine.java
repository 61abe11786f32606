package io.riptide.features;

import io.riptide.features.internal.BarFeatures;
import io.riptide.features.internal.EngineState;
import io.riptide.features.internal.FeatureCatalog;
import io.riptide.features.internal.Inputs;
import io.riptide.features.internal.Snapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Incremental features for one instrument. Feed it bars, trades, book snapshots and liquidations in time order;
 * ask for a vector with {@link #writeFeatures}. Not thread-safe; one instance per instrument. The update methods
 * and {@code writeFeatures} allocate nothing. The same instance type computes features online (stream) and
 * offline ({@link io.riptide.features.offline.KlineFeatureWriter}), so the two cannot drift apart.
 */
public final class InstrumentFeatureEngine {
    private static final List<Pattern> SIGNALS = Pattern.signals();
    private static final int[] SIGNAL_INDEX = SIGNALS.stream()
            .mapToInt(p -> BarFeatures.NAMES.indexOf(p.featureName())).toArray();
    private static final int ATR_INDEX = BarFeatures.NAMES.indexOf("atr_14");
    private final FeatureSet set;
    private final int[] catalogIndex;
    private final double[] all = new double[FeatureCatalog.SIZE];
    private final int warmupBars;
    private final boolean usesBook;
    private final boolean usesTrades;
    private final boolean usesBars;
    private EngineState state;

    public InstrumentFeatureEngine(FeatureSet set) {
        this(set, new EngineState());
    }

    private InstrumentFeatureEngine(FeatureSet set, EngineState state) {
        this.set = Objects.requireNonNull(set, "feature set");
        this.state = state;
        this.catalogIndex = new int[set.size()];
        int warm = 0;
        boolean book = false, trades = false, bars = false;
        for (int i = 0; i < set.size(); i++) {
            int c = FeatureCatalog.indexOf(set.names().get(i));
            catalogIndex[i] = c;
            warm = Math.max(warm, FeatureCatalog.warmupBars(c));
            bars |= FeatureCatalog.isBarFeature(c);
            book |= c >= FeatureCatalog.BOOK_OFFSET && c < FeatureCatalog.FLOW_OFFSET;
            trades |= c >= FeatureCatalog.FLOW_OFFSET && c < FeatureCatalog.LIQ_OFFSET;
        }
        this.warmupBars = warm;
        this.usesBook = book;
        this.usesTrades = trades;
        this.usesBars = bars;
    }

    public FeatureSet featureSet() { return set; }

    /**
     * A trade; feeds trade-flow features only (bars come through {@link #onBar}).
     *
     * @throws IllegalArgumentException for a non-positive or non-finite price or a negative or non-finite quantity
     */
    public void onTrade(long timeMs, double price, double qty, boolean aggressorBuy) {
        Inputs.checkTrade(timeMs, price, qty);
        state.flow.onTrade(timeMs, price, qty, aggressorBuy);
    }

    /** A top-N book snapshot, best level first on both sides (levels beyond 20 are ignored). */
    public void onBook(long timeMs, double[] bidPx, double[] bidQty, int bidLevels, double[] askPx, double[] askQty, int askLevels) {
        state.book.onBook(timeMs, bidPx, bidQty, bidLevels, askPx, askQty, askLevels);
    }

    /**
     * A liquidation.
     *
     * @param positionSide +1 a long position was liquidated, -1 a short one, 0 unknown
     * @param notional     quote notional; NaN (or <= 0) to use price x qty
     * @throws IllegalArgumentException when no finite positive notional can be had
     */
    public void onLiquidation(long timeMs, int positionSide, double price, double qty, double notional) {
        double n = Double.isNaN(notional) || notional <= 0 ? price * qty : notional;
        if (!(n > 0) || !Double.isFinite(n)) {
            throw new IllegalArgumentException("bad liquidation at " + timeMs + ": notional " + notional + ", price " + price + ", qty " + qty);
        }
        state.liquidations.onLiquidation(timeMs, positionSide, n);
    }

    /**
     * A closed bar.
     *
     * @param vwap           NaN if unknown (the typical price stands in where a VWAP is needed)
     * @param tradeCount     -1 if unknown
     * @param takerBuyVolume NaN if unknown
     * @throws IllegalArgumentException for a bar with non-finite prices, low > high, low <= 0 or negative volume
     */
    public void onBar(long openTimeMs, double open, double high, double low, double close, double volume,
                      double vwap, int tradeCount, double takerBuyVolume) {
        Inputs.checkBar(openTimeMs, open, high, low, close, volume);
        state.bars.onBar(open, high, low, close, volume, vwap, takerBuyVolume);
        double price = Double.isNaN(vwap) ? (high + low + close) / 3.0 : vwap;
        state.quoteVolume5.update(price * volume);
        state.quoteVolume60.update(price * volume);
    }

    /** Values in feature-set order; NaN where a feature is not warm. Time windows end at {@code asOfTimeMs}. */
    public void writeFeatures(long asOfTimeMs, double[] out) {
        if (out.length < catalogIndex.length) {
            throw new IllegalArgumentException("output array holds " + out.length + " values, feature set "
                    + set.id() + " needs " + catalogIndex.length);
        }
        EngineState s = state;
        s.bars.write(all, FeatureCatalog.BAR_OFFSET);
        s.book.write(asOfTimeMs, all, FeatureCatalog.BOOK_OFFSET);
        s.flow.write(asOfTimeMs, all, FeatureCatalog.FLOW_OFFSET);
        double v5 = s.quoteVolume5.isFull() ? s.quoteVolume5.sum() : Double.NaN;
        double v60 = s.quoteVolume60.isFull() ? s.quoteVolume60.sum() : Double.NaN;
        s.liquidations.write(asOfTimeMs, v5, v60, all, FeatureCatalog.LIQ_OFFSET);
        for (int i = 0; i < catalogIndex.length; i++) out[i] = all[catalogIndex[i]];
    }

    /**
     * True once every bar feature of the set has its warm-up bars behind it and, where the set uses them, at least
     * one book update and one trade have arrived. Some features stay NaN by definition even then (see docs/FEATURES.md).
     */
    public boolean isWarm() {
        if (usesBars && state.bars.bars() < warmupBars) return false;
        if (usesBook && state.book.updates() == 0) return false;
        return !usesTrades || state.flow.trades() > 0;
    }

    /**
     * The signal patterns ({@link Pattern#signals()}) the last closed bar completed, whatever the feature set, in
     * {@link Pattern} order. Empty until the bar features have warmed up.
     */
    public List<Pattern.Fired> firedPatterns() {
        List<Pattern.Fired> fired = new ArrayList<>(2);
        for (int i = 0; i < SIGNALS.size(); i++) {
            Pattern p = SIGNALS.get(i);
            double v = state.bars.value(SIGNAL_INDEX[i]);
            if (v > 0) {
                fired.add(new Pattern.Fired(p, 1));
            } else if (v < 0) {
                fired.add(new Pattern.Fired(p, -1));
            }
        }
        return fired;
    }

    /** The 14-bar average true range at the last closed bar (TA-Lib ATR), NaN before warm-up. */
    public double atr14() {
        return state.bars.value(ATR_INDEX);
    }

    /** Current regime as a lower-case name: trending, sideways, volatile, consolidation or unknown. */
    public String regime() { return state.bars.regime().label(); }

    public Regime regimeValue() { return state.bars.regime(); }

    /** Bars seen so far. */
    public long barCount() { return state.bars.bars(); }

    /** Trades and book updates dropped for arriving later than the per-second windows still held. */
    public long lateEvents() { return state.flow.lateTrades() + state.book.lateUpdates(); }

    /** Full state; {@link #restore} of it continues exactly as this engine would. */
    public byte[] snapshot() { return Snapshots.write("engine", set.hash(), state); }

    /**
     * Rebuilds an engine from {@link #snapshot()}.
     *
     * @throws IllegalArgumentException when the snapshot is corrupt, of another format version, or was taken for
     *                                  a feature set with another hash
     */
    public static InstrumentFeatureEngine restore(FeatureSet set, byte[] snapshot) {
        EngineState state = new EngineState();
        Snapshots.read("engine", set.hash(), snapshot, state);
        return new InstrumentFeatureEngine(set, state);
    }
}
