package io.riptide.features.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every feature the engine can compute, in one fixed order: bar, book, trade-flow, liquidation groups. */
public final class FeatureCatalog {
    public static final int BAR_OFFSET = 0;
    public static final int BOOK_OFFSET = BAR_OFFSET + BarFeatures.NAMES.size();
    public static final int FLOW_OFFSET = BOOK_OFFSET + BookFeatures.NAMES.size();
    public static final int LIQ_OFFSET = FLOW_OFFSET + TradeFlowFeatures.NAMES.size();
    public static final int SIZE = LIQ_OFFSET + LiquidationFeatures.NAMES.size();

    private static final List<String> ALL;
    private static final Map<String, Integer> INDEX;

    static {
        List<String> all = new ArrayList<>(SIZE);
        all.addAll(BarFeatures.NAMES);
        all.addAll(BookFeatures.NAMES);
        all.addAll(TradeFlowFeatures.NAMES);
        all.addAll(LiquidationFeatures.NAMES);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            if (index.put(all.get(i), i) != null) throw new IllegalStateException("duplicate feature name " + all.get(i));
        }
        ALL = Collections.unmodifiableList(all);
        INDEX = Collections.unmodifiableMap(index);
    }

    private FeatureCatalog() {}

    public static List<String> names() { return ALL; }

    /** Catalog index of a feature, -1 if the engine does not know it. */
    public static int indexOf(String name) {
        Integer i = INDEX.get(name);
        return i == null ? -1 : i;
    }

    public static boolean isBarFeature(int catalogIndex) { return catalogIndex < BOOK_OFFSET; }

    /** Bars of history a bar feature needs; 0 for features of other groups. */
    public static int warmupBars(int catalogIndex) {
        return isBarFeature(catalogIndex) ? BarFeatures.WARMUP_BARS[catalogIndex - BAR_OFFSET] : 0;
    }
}
