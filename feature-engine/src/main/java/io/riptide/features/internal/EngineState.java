package io.riptide.features.internal;

import java.io.Serializable;

/** Everything an instrument's engine remembers; the unit of snapshot and restore. */
public final class EngineState implements Serializable {
    private static final long serialVersionUID = 1L;

    public final BarFeatures bars = new BarFeatures();
    public final BookFeatures book = new BookFeatures();
    public final TradeFlowFeatures flow = new TradeFlowFeatures();
    public final LiquidationFeatures liquidations = new LiquidationFeatures();
    /** Quote volume (volume x vwap, or x typical price) of the last 5 and 60 bars. */
    public final RollingStats quoteVolume5 = new RollingStats(5);
    public final RollingStats quoteVolume60 = new RollingStats(60);
}
