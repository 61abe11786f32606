package io.riptide.app.backtest;

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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feature rows of simulated market events, in memory, with the stream's point-in-time rules (the same as
 * {@code io.riptide.app.features.CaptureFeatureWriter}, which {@code CaptureFeaturesEquivalenceTest} proves equal to
 * the topology): a 1-minute bar closes with the first trade of a later minute, and books or liquidations stamped at
 * or after the open bar's end reach the engine only after that bar's features are written. One row per closed bar,
 * stamped with the bar's end (the stream's prediction time t); every liquidation is kept so that labels
 * "notional in (t, t+h] above a threshold" can be computed for any horizon and threshold.
 */
final class SimFeatureRows implements MarketEventSink {
    private static final long BAR_MILLIS = 60_000L;

    private final FeatureSet set;
    private final List<String> instrumentIds;
    private final Map<String, Instrument> instruments = new HashMap<>();

    /** Rows in the order bars closed (non-decreasing time per instrument, interleaved across instruments). */
    final List<double[]> features = new ArrayList<>();
    final List<Long> timesMs = new ArrayList<>();
    final List<Integer> instrumentOf = new ArrayList<>();

    SimFeatureRows(FeatureSet set, List<String> instrumentIds) {
        this.set = set;
        this.instrumentIds = List.copyOf(instrumentIds);
        for (String id : instrumentIds) {
            instruments.put(id, new Instrument(id, instrumentIds.indexOf(id)));
        }
    }

    int rows() {
        return features.size();
    }

    /** Liquidation notional of row {@code i}'s instrument with time in (t, t + horizon]. */
    double notionalAhead(int i, long horizonMs) {
        Instrument inst = instruments.get(instrumentIds.get(instrumentOf.get(i)));
        long t = timesMs.get(i);
        return inst.notionalIn(t, t + horizonMs);
    }

    /** Per instrument: bars, engine, events waiting for the trade that closes their bar, and its liquidations. */
    private final class Instrument {
        final String id;
        final int index;
        final BarAggregator bars = new BarAggregator(BAR_MILLIS);
        final InstrumentFeatureEngine engine = new InstrumentFeatureEngine(set);
        final List<Runnable> afterBarEnd = new ArrayList<>();
        final double[] bidPx = new double[20];
        final double[] bidQty = new double[20];
        final double[] askPx = new double[20];
        final double[] askQty = new double[20];
        long openBarEnd = Long.MIN_VALUE;
        long[] liqTimes = new long[1024];
        double[] liqCumulative = new double[1024]; // notional of liquidations 0..k inclusive
        int liqCount;

        Instrument(String id, int index) {
            this.id = id;
            this.index = index;
        }

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
                return;
            }
            if (bars.onTrade(t.getExchangeTimeMs(), t.getPrice(), t.getQty(), buy)) {
                closeBar();
                afterBarEnd.forEach(Runnable::run);
                afterBarEnd.clear();
            }
            openBarEnd = Math.floorDiv(t.getExchangeTimeMs(), BAR_MILLIS) * BAR_MILLIS + BAR_MILLIS;
            engine.onTrade(t.getExchangeTimeMs(), t.getPrice(), t.getQty(), buy);
        }

        private void closeBar() {
            long open = bars.closedOpenTimeMs();
            engine.onBar(open, bars.closedOpen(), bars.closedHigh(), bars.closedLow(), bars.closedClose(),
                    bars.closedVolume(), bars.closedVwap(), bars.closedTradeCount(), bars.closedTakerBuyVolume());
            double[] row = new double[set.size()];
            engine.writeFeatures(open + BAR_MILLIS, row);
            features.add(row);
            timesMs.add(open + BAR_MILLIS);
            instrumentOf.add(index);
        }

        void recordLiquidation(long timeMs, double notional) {
            if (liqCount == liqTimes.length) {
                liqTimes = Arrays.copyOf(liqTimes, 2 * liqCount);
                liqCumulative = Arrays.copyOf(liqCumulative, 2 * liqCount);
            }
            liqTimes[liqCount] = timeMs;
            liqCumulative[liqCount] = notional + (liqCount == 0 ? 0 : liqCumulative[liqCount - 1]);
            liqCount++;
        }

        /** Sum of notional with time in (fromMs, toMs]; liquidations arrive in time order. */
        double notionalIn(long fromMs, long toMs) {
            return cumulativeThrough(toMs) - cumulativeThrough(fromMs);
        }

        private double cumulativeThrough(long timeMs) {
            int lo = 0;
            int hi = liqCount; // first index with time > timeMs
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (liqTimes[mid] <= timeMs) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo == 0 ? 0 : liqCumulative[lo - 1];
        }
    }

    @Override
    public void onTrade(Trade trade) {
        instruments.get(trade.getInstrument().toString()).onTrade(trade);
    }

    @Override
    public void onBook(BookSnapshot book) {
        Instrument i = instruments.get(book.getInstrument().toString());
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
        Instrument i = instruments.get(l.getInstrument().toString());
        i.recordLiquidation(l.getExchangeTimeMs(), l.getNotional());
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
}
