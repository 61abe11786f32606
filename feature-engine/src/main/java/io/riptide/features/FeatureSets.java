package io.riptide.features;

import io.riptide.features.internal.BarFeatures;
import io.riptide.features.internal.BookFeatures;
import io.riptide.features.internal.LiquidationFeatures;
import io.riptide.features.internal.TradeFlowFeatures;

import java.util.ArrayList;
import java.util.List;

/** The feature sets Riptide's models use. Changing a set's names means bumping its version. */
public final class FeatureSets {
    private static final FeatureSet ALL;
    private static final FeatureSet LIQUIDATION;
    private static final FeatureSet BAR_INDICATORS;

    /**
     * Features in price or cumulative-volume units (moving averages, bands, channels, SAR, Ichimoku, OBV, mid
     * prices). Their level wanders with the market, so a tree model trained on last week's levels splits on values
     * this week never revisits, and drift detectors fire on every trend. Models get scale-free features instead
     * (returns, ratios, oscillators, %b, bps, notionals, counts); the levels stay available from {@link #all()}.
     */
    public static final List<String> PRICE_LEVEL_FEATURES = List.of("sma_20", "ema_12", "ema_26", "wma_20",
            "macd_12_26", "macd_signal_9", "macd_hist_12_26_9", "bb_middle_20", "bb_upper_20_2", "bb_lower_20_2",
            "atr_14", "obv", "vwap_20", "sar_002_02", "ichimoku_tenkan_9", "ichimoku_kijun_26", "ichimoku_senkou_a",
            "ichimoku_senkou_b", "keltner_middle_20", "keltner_upper_20_2", "keltner_lower_20_2", "donchian_upper_20",
            "donchian_lower_20", "donchian_middle_20", "spread", "mid", "microprice", "size_weighted_mid_5",
            "trade_vwap_60s");

    static {
        List<String> all = new ArrayList<>();
        all.addAll(BarFeatures.NAMES);
        all.addAll(BookFeatures.NAMES);
        all.addAll(TradeFlowFeatures.NAMES);
        all.addAll(LiquidationFeatures.NAMES);
        ALL = FeatureSet.of("all", 1, all);
        List<String> scaleFree = new ArrayList<>(all);
        scaleFree.removeAll(PRICE_LEVEL_FEATURES);
        LIQUIDATION = FeatureSet.of("liquidation", 2, scaleFree);
        BAR_INDICATORS = FeatureSet.of("bar-indicators", 1, BarFeatures.NAMES);
    }

    private FeatureSets() {}

    /** Everything: bar indicators, patterns and regime, book, trade flow and liquidation features. */
    public static FeatureSet all() { return ALL; }

    /** What the liquidation-risk models see: every scale-free feature (all but {@link #PRICE_LEVEL_FEATURES}). */
    public static FeatureSet liquidation() { return LIQUIDATION; }

    /** Only the bar-based features: what kline input (offline backfill) can compute. */
    public static FeatureSet barIndicators() { return BAR_INDICATORS; }
}
