package io.riptide.features.internal;


/** Everything an instrument's engine remembers; the unit of snapshot and restore. */
public final class EngineState implements Stateful {
    public final BarFeatures bars = new BarFeatures();
    public final BookFeatures book = new BookFeatures();
    public final TradeFlowFeatures flow = new TradeFlowFeatures();
    public final LiquidationFeatures liquidations = new LiquidationFeatures();
    /** Quote volume (volume x vwap, or x typical price) of the last 5 and 60 bars. */
    public final RollingStats quoteVolume5 = new RollingStats(5);
    public final RollingStats quoteVolume60 = new RollingStats(60);

    @Override
    public void write(StateWriter w) {
        bars.write(w);
        book.write(w);
        flow.write(w);
        liquidations.write(w);
        quoteVolume5.write(w);
        quoteVolume60.write(w);
    }

    @Override
    public void read(StateReader r) {
        bars.read(r);
        book.read(r);
        flow.read(r);
        liquidations.read(r);
        quoteVolume5.read(r);
        quoteVolume60.read(r);
    }
}
