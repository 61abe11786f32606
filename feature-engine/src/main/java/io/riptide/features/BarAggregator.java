package io.riptide.features;

import io.riptide.features.internal.Inputs;
import io.riptide.features.internal.Snapshots;
import io.riptide.features.internal.StateReader;
import io.riptide.features.internal.StateWriter;
import io.riptide.features.internal.Stateful;

/**
 * Time bars from trades for one instrument (bar k covers [k*barMillis, (k+1)*barMillis)). A bar closes once event
 * time reaches its end: when the first trade of a later bar arrives, or earlier through {@link #closeIfEnded} when
 * the caller knows every input has passed the bar's end (see {@link InstrumentTimeline}, the point-in-time rule).
 * Minutes without trades produce no bar. A trade older than the open bar is counted in {@link #lateTrades()} and
 * otherwise ignored, never folded into the wrong bar. Not thread-safe; allocation-free on {@link #onTrade}.
 */
public final class BarAggregator {
    private static final String SNAPSHOT_KEY = "time-bars";

    private State s;

    public BarAggregator(long barMillis) {
        if (barMillis <= 0) throw new IllegalArgumentException("barMillis must be > 0, got " + barMillis);
        this.s = new State(barMillis);
    }

    private BarAggregator(State s) { this.s = s; }

    /**
     * @return true when this trade closed the previous bar, now readable through the {@code closed*} getters
     * @throws IllegalArgumentException for a non-positive or non-finite price or a negative or non-finite quantity
     */
    public boolean onTrade(long timeMs, double price, double qty, boolean aggressorBuy) {
        Inputs.checkTrade(timeMs, price, qty);
        State st = s;
        long start = Math.floorDiv(timeMs, st.barMillis) * st.barMillis;
        if (!st.open) {
            if (start < st.closedEndMs()) {
                st.lateTrades++; // its bar was closed already
                return false;
            }
            st.startBar(start, price, qty, aggressorBuy);
            return false;
        }
        if (start < st.openTimeMs) {
            st.lateTrades++;
            return false;
        }
        if (start == st.openTimeMs) {
            st.add(price, qty, aggressorBuy);
            return false;
        }
        st.closeBar();
        st.startBar(start, price, qty, aggressorBuy);
        return true;
    }

    /**
     * Closes the open bar when event time {@code timeMs} has reached its end (every trade before the end has been
     * seen). The closed bar is then readable through the {@code closed*} getters and the next trade opens a new bar.
     *
     * @return true when a bar was closed
     */
    public boolean closeIfEnded(long timeMs) {
        State st = s;
        if (!st.open || timeMs < st.openTimeMs + st.barMillis) {
            return false;
        }
        st.closeBar();
        st.open = false;
        return true;
    }

    /** True while a bar is open (a trade arrived since the last close). */
    public boolean hasOpenBar() { return s.open; }

    /** End (exclusive) of the open bar; only meaningful while {@link #hasOpenBar()}. */
    public long openBarEndMs() { return s.openTimeMs + s.barMillis; }

    /** False for a trade older than the open bar: {@link #onTrade} would count it late instead of using it. */
    public boolean accepts(long timeMs) {
        State st = s;
        long start = Math.floorDiv(timeMs, st.barMillis) * st.barMillis;
        return st.open ? start >= st.openTimeMs : start >= st.closedEndMs();
    }

    /** Trades that arrived after their bar had already closed. */
    public long lateTrades() { return s.lateTrades; }

    public long barMillis() { return s.barMillis; }

    public long closedOpenTimeMs() { return s.cOpenTime; }

    public double closedOpen() { return s.cOpen; }

    public double closedHigh() { return s.cHigh; }

    public double closedLow() { return s.cLow; }

    public double closedClose() { return s.cClose; }

    public double closedVolume() { return s.cVolume; }

    /** Volume-weighted average price of the closed bar. */
    public double closedVwap() { return s.cVwap; }

    public int closedTradeCount() { return s.cCount; }

    /** Volume bought by aggressive buyers in the closed bar. */
    public double closedTakerBuyVolume() { return s.cTakerBuy; }

    public byte[] snapshot() { return Snapshots.write("bar-aggregator", SNAPSHOT_KEY + "/" + s.barMillis, s); }

    /**
     * Rebuilds an aggregator from {@link #snapshot()}, bar length included.
     *
     * @throws IllegalArgumentException when the bytes are not an intact bar-aggregator snapshot of this format version
     */
    public static BarAggregator restore(byte[] snapshot) {
        long barMillis = barMillisOf(snapshot);
        State st = new State(barMillis);
        Snapshots.read("bar-aggregator", SNAPSHOT_KEY + "/" + barMillis, snapshot, st);
        return new BarAggregator(st);
    }

    /** The bar length recorded in the snapshot's key ("time-bars/60000"); validated fully by Snapshots.read. */
    private static long barMillisOf(byte[] snapshot) {
        try {
            StateReader r = new StateReader(snapshot, 8);
            r.getString();
            String key = r.getString();
            if (!key.startsWith(SNAPSHOT_KEY + "/")) throw new IllegalArgumentException("not a bar-aggregator snapshot");
            long barMillis = Long.parseLong(key.substring(SNAPSHOT_KEY.length() + 1));
            if (barMillis <= 0) throw new IllegalArgumentException("bar-aggregator snapshot has bar length " + barMillis);
            return barMillis;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid bar-aggregator snapshot: " + e.getMessage(), e);
        }
    }

    private static final class State implements Stateful {
        final long barMillis;
        boolean open;
        long openTimeMs;
        double o, h, l, c, volume, notional, takerBuy;
        int count;
        long lateTrades;
        long cOpenTime = Long.MIN_VALUE;
        double cOpen = Double.NaN, cHigh = Double.NaN, cLow = Double.NaN, cClose = Double.NaN;
        double cVolume = Double.NaN, cVwap = Double.NaN, cTakerBuy = Double.NaN;
        int cCount = -1;

        State(long barMillis) { this.barMillis = barMillis; }

        /** End of the last closed bar; no trade before it may open a bar. */
        long closedEndMs() { return cOpenTime == Long.MIN_VALUE ? Long.MIN_VALUE : cOpenTime + barMillis; }

        void startBar(long start, double price, double qty, boolean buy) {
            open = true;
            openTimeMs = start;
            o = h = l = c = price;
            volume = 0;
            notional = 0;
            takerBuy = 0;
            count = 0;
            add(price, qty, buy);
        }

        void add(double price, double qty, boolean buy) {
            if (price > h) h = price;
            if (price < l) l = price;
            c = price;
            volume += qty;
            notional += price * qty;
            if (buy) takerBuy += qty;
            count++;
        }

        void closeBar() {
            cOpenTime = openTimeMs;
            cOpen = o;
            cHigh = h;
            cLow = l;
            cClose = c;
            cVolume = volume;
            cVwap = volume > 0 ? notional / volume : c;
            cTakerBuy = takerBuy;
            cCount = count;
        }

        @Override
        public void write(StateWriter w) {
            w.putBoolean(open).putLong(openTimeMs).putDouble(o).putDouble(h).putDouble(l).putDouble(c).putDouble(volume)
                    .putDouble(notional).putDouble(takerBuy).putInt(count).putLong(lateTrades).putLong(cOpenTime)
                    .putDouble(cOpen).putDouble(cHigh).putDouble(cLow).putDouble(cClose).putDouble(cVolume).putDouble(cVwap)
                    .putDouble(cTakerBuy).putInt(cCount);
        }

        @Override
        public void read(StateReader r) {
            open = r.getBoolean();
            openTimeMs = r.getLong();
            o = r.getDouble();
            h = r.getDouble();
            l = r.getDouble();
            c = r.getDouble();
            volume = r.getDouble();
            notional = r.getDouble();
            takerBuy = r.getDouble();
            count = r.getInt();
            lateTrades = r.getLong();
            cOpenTime = r.getLong();
            cOpen = r.getDouble();
            cHigh = r.getDouble();
            cLow = r.getDouble();
            cClose = r.getDouble();
            cVolume = r.getDouble();
            cVwap = r.getDouble();
            cTakerBuy = r.getDouble();
            cCount = r.getInt();
        }
    }
}
