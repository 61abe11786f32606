package io.riptide.app.features;

import io.riptide.features.EventTimeMerger;
import io.riptide.features.FeatureSet;
import io.riptide.features.InstrumentFeatureEngine;
import io.riptide.features.InstrumentTimeline;
import io.riptide.features.MarketSource;
import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Offline features from recorded market events (trades, books, liquidations, and the feed's heartbeats), one CSV row
 * per closed bar, by the stream's own rules: the inputs of each instrument are merged by event time
 * ({@link EventTimeMerger}) and applied to an {@link InstrumentTimeline}, which closes each bar when event time
 * reaches its end. So offline rows equal what the stream serves. Wrap it in the feed's
 * {@link io.riptide.feed.Heartbeats}, as the stream's feeds are.
 */
final class CaptureFeatureWriter implements MarketEventSink {
    private final FeatureSet set;
    private final Writer out;
    private final Map<String, Instrument> instruments = new HashMap<>();
    private final double[] values;
    private long rows;
    private long late;

    CaptureFeatureWriter(FeatureSet set, Writer out) throws IOException {
        this.set = set;
        this.out = out;
        this.values = new double[set.size()];
        out.write("instrument,open_time_ms,close," + String.join(",", set.names()) + ",regime\n");
    }

    /** Per instrument: the merge of its inputs and the timeline they are released into (offline: allocation is fine). */
    private final class Instrument implements InstrumentTimeline.BarListener {
        final String id;
        final InstrumentTimeline timeline = new InstrumentTimeline(set);
        final EventTimeMerger<Consumer<InstrumentTimeline>> merger = new EventTimeMerger<>();

        Instrument(String id) {
            this.id = id;
        }

        void offer(MarketSource source, long timeMs, Consumer<InstrumentTimeline> apply) {
            if (merger.offer(source, timeMs, apply) < 0) {
                late++; // as the stream dead-letters it
            }
            release();
        }

        void heartbeat(MarketSource source, long timeMs) {
            merger.heartbeat(source, timeMs);
            release();
        }

        private void release() {
            EventTimeMerger.Entry<Consumer<InstrumentTimeline>> next;
            while ((next = merger.poll()) != null) {
                next.event().accept(timeline);
            }
            if (merger.releasedThrough() != Long.MIN_VALUE) {
                timeline.advanceTo(merger.releasedThrough(), this);
            }
        }

        @Override
        public void barClosed(InstrumentTimeline.ClosedBar bar, InstrumentFeatureEngine engine) {
            engine.writeFeatures(bar.endMs(), values);
            StringBuilder row = new StringBuilder(id).append(',').append(bar.openTimeMs()).append(',')
                    .append(bar.close());
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
    public void onTrade(Trade t) {
        Instrument i = instrument(t.getInstrument());
        boolean buy = t.getAggressorSide() == Side.BUY;
        i.offer(MarketSource.TRADES, t.getExchangeTimeMs(), tl -> tl.onTrade(t.getExchangeTimeMs(), t.getPrice(),
                t.getQty(), buy, i));
    }

    @Override
    public void onBook(BookSnapshot book) {
        Instrument i = instrument(book.getInstrument());
        double[] bp = new double[20];
        double[] bq = new double[20];
        double[] ap = new double[20];
        double[] aq = new double[20];
        int bids = copy(book.getBids(), bp, bq);
        int asks = copy(book.getAsks(), ap, aq);
        i.offer(MarketSource.BOOKS, book.getExchangeTimeMs(), tl -> tl.onBook(book.getExchangeTimeMs(), bp, bq, bids,
                ap, aq, asks, i));
    }

    @Override
    public void onLiquidation(Liquidation l) {
        Instrument i = instrument(l.getInstrument());
        int side = l.getPositionSide() == PositionSide.LONG ? 1 : l.getPositionSide() == PositionSide.SHORT ? -1 : 0;
        i.offer(MarketSource.LIQUIDATIONS, l.getExchangeTimeMs(), tl -> tl.onLiquidation(l.getExchangeTimeMs(), side,
                l.getPrice(), l.getQty(), l.getNotional(), i));
    }

    @Override
    public void onHeartbeat(String instrument, Topic<?> input, long timeMs) {
        instrument(instrument).heartbeat(sourceOf(input), timeMs);
    }

    private static MarketSource sourceOf(Topic<?> input) {
        String name = input.name();
        if (name.equals(Topics.TRADES.name())) {
            return MarketSource.TRADES;
        } else if (name.equals(Topics.BOOKS.name())) {
            return MarketSource.BOOKS;
        } else if (name.equals(Topics.LIQUIDATIONS.name())) {
            return MarketSource.LIQUIDATIONS;
        } else if (name.equals(Topics.KLINES.name())) {
            return MarketSource.KLINES;
        }
        throw new IllegalArgumentException("not a market input: " + name);
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

    /** Events that came after event time had passed them (the stream dead-letters those). */
    long late() {
        return late;
    }
}
