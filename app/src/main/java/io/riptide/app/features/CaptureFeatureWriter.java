package io.riptide.app.features;

import io.riptide.features.BarAggregator;
import io.riptide.features.FeatureSet;
import io.riptide.features.InstrumentFeatureEngine;
import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Offline features from recorded market events (trades, books, liquidations), one CSV row per closed bar, with the
 * stream's semantics: a bar closes with the first trade of a later minute, and events stamped at or after a bar's end
 * reach the engine only after that bar's features are written (so offline rows equal what the stream serves).
 */
final class CaptureFeatureWriter implements MarketEventSink {
    private static final long BAR_MILLIS = 60_000L;

    private final FeatureSet set;
    private final Writer out;
    private final Map<String, Instrument> instruments = new HashMap<>();
    private final double[] values;
    private long rows;

    CaptureFeatureWriter(FeatureSet set, Writer out) throws IOException {
        this.set = set;
        this.out = out;
        this.values = new double[set.size()];
        out.write("instrument,open_time_ms,close," + String.join(",", set.names()) + ",regime\n");
    }

    /** Per instrument: bars, engine, and events that arrived before the trade closing their bar. */
    private final class Instrument {
        final String id;
        final BarAggregator bars = new BarAggregator(BAR_MILLIS);
        final InstrumentFeatureEngine engine = new InstrumentFeatureEngine(set);
        final List<Runnable> afterBarEnd = new ArrayList<>(); // offline only: allocation is fine here
        final double[] bidPx = new double[20];
        final double[] bidQty = new double[20];
        final double[] askPx = new double[20];
        final double[] askQty = new double[20];

        Instrument(String id) {
            this.id = id;
        }

        /** End of the bar the last trade opened; Long.MIN_VALUE before the first trade. */
        long openBarEnd = Long.MIN_VALUE;

        /** Applies now, or after the open bar closes when the event is stamped at or after the bar's end. */
        void apply(long timeMs, Runnable update) {
            if (openBarEnd != Long.MIN_VALUE && timeMs >= openBarEnd) {
                afterBarEnd.add(update);
            } else {
                update.run();
            }
        }

        void onTrade(Trade t) {
            boolean buy = t.getAggressorSide() == Side.BUY;
            if (!bars.accepts(t.getExchangeTimeMs())) {
                return; // counted by the aggregator as late, as in the stream
            }
            if (bars.onTrade(t.getExchangeTimeMs(), t.getPrice(), t.getQty(), buy)) {
                writeBar();
                afterBarEnd.forEach(Runnable::run);
                afterBarEnd.clear();
            }
            openBarEnd = Math.floorDiv(t.getExchangeTimeMs(), BAR_MILLIS) * BAR_MILLIS + BAR_MILLIS;
            engine.onTrade(t.getExchangeTimeMs(), t.getPrice(), t.getQty(), buy);
        }

        private void writeBar() {
            long open = bars.closedOpenTimeMs();
            engine.onBar(open, bars.closedOpen(), bars.closedHigh(), bars.closedLow(), bars.closedClose(),
                    bars.closedVolume(), bars.closedVwap(), bars.closedTradeCount(), bars.closedTakerBuyVolume());
            engine.writeFeatures(open + BAR_MILLIS, values);
            StringBuilder row = new StringBuilder(id).append(',').append(open).append(',').append(bars.closedClose());
            for (double v : values) {
                row.append(',');
                if (!Double.isNaN(v)) {
                    row.append(v);
                }
            }
            row.append(',').append(engine.regime()).append('\n');
            try {
                out.write(row.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rows++;
        }
    }

    private Instrument instrument(String id) {
        return instruments.computeIfAbsent(id, Instrument::new);
    }

    @Override
    public void onTrade(Trade trade) {
        instrument(trade.getInstrument()).onTrade(trade);
    }

    @Override
    public void onBook(BookSnapshot book) {
        Instrument i = instrument(book.getInstrument());
        int bids = copy(book.getBids(), i.bidPx, i.bidQty);
        int asks = copy(book.getAsks(), i.askPx, i.askQty);
        double[] bp = i.bidPx.clone();
        double[] bq = i.bidQty.clone();
        double[] ap = i.askPx.clone();
        double[] aq = i.askQty.clone();
        i.apply(book.getExchangeTimeMs(), () -> i.engine.onBook(book.getExchangeTimeMs(), bp, bq, bids, ap, aq, asks));
    }

    @Override
    public void onLiquidation(Liquidation l) {
        Instrument i = instrument(l.getInstrument());
        int side = l.getPositionSide() == PositionSide.LONG ? 1 : l.getPositionSide() == PositionSide.SHORT ? -1 : 0;
        i.apply(l.getExchangeTimeMs(), () -> i.engine.onLiquidation(l.getExchangeTimeMs(), side, l.getPrice(),
                l.getQty(), l.getNotional()));
    }

    private static int copy(List<PriceLevel> levels, double[] px, double[] qty) {
        int n = Math.min(levels.size(), px.length);
        for (int k = 0; k < n; k++) {
            px[k] = levels.get(k).getPrice();
            qty[k] = levels.get(k).getQty();
        }
        return n;
    }

    long rows() {
        return rows;
    }
}
