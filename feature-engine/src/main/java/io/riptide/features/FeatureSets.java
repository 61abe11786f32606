package io.riptide.features;

import io.riptide.features.internal.BarFeatures;
import io.riptide.features.internal.BookFeatures;
import io.riptide.features.internal.LiquidationFeatures;
import io.riptide.features.internal.TradeFlowFeatures;

import java.util.ArrayList;
import java.util.List;

/** The feature sets Riptide's models use. Changing a set's names means bumping its version. */
public final class FeatureSets {
    private static final FeatureSet LIQUIDATION;
    private static final FeatureSet BAR_INDICATORS;

    static {
        List<String> all = new ArrayList<>();
        all.addAll(BarFeatures.NAMES);
        all.addAll(BookFeatures.NAMES);
        all.addAll(TradeFlowFeatures.NAMES);
        all.addAll(LiquidationFeatures.NAMES);
        LIQUIDATION = FeatureSet.of("liquidation", 1, all);
        BAR_INDICATORS = FeatureSet.of("bar-indicators", 1, BarFeatures.NAMES);
    }

    private FeatureSets() {}

    /** Everything: bar indicators, patterns and regime, book, trade flow and liquidation features. */
    public static FeatureSet liquidation() { return LIQUIDATION; }

    /** Only the bar-based features: what kline input (offline backfill) can compute. */
    public static FeatureSet barIndicators() { return BAR_INDICATORS; }
}
