package io.riptide.features.internal;

import java.util.List;

/** Trade-flow (microstructure) features from individual trades with the exchange's aggressor side. */
public final class TradeFlowFeatures implements Stateful {

    public static final List<String> NAMES = List.of(
            "buy_volume_10s", "sell_volume_10s", "buy_volume_60s", "sell_volume_60s", "buy_volume_share_60s",
            "signed_volume_10s", "signed_volume_60s", "trade_count_60s", "trade_intensity_60s",
            "avg_trade_size_60s", "large_trade_share_60s", "trade_vwap_60s", "trade_return_bps_60s",
            "kyle_lambda_200", "flow_toxicity_50", "seconds_since_last_trade");

    /** A trade at or above this quote notional counts as large. */
    public static final double LARGE_TRADE_NOTIONAL = 100_000.0;
    public static final int KYLE_TRADES = 200;
    public static final double TOXICITY_BUCKET_NOTIONAL = 250_000.0;
    public static final int TOXICITY_BUCKETS = 50;

    private static final int BUY = 0;
    private static final int SELL = 1;
    private static final int COUNT = 2;
    private static final int LARGE = 3;
    private static final int NOTIONAL = 4;
    private static final int FIRST_PRICE = 5;

    private final SecondBuckets buckets = new SecondBuckets(64, 6);
    private final RollingRegression kyle;
    private final FlowToxicity toxicity;
    private long trades;
    private long lastTradeMs;
    private double lastPrice = Double.NaN;

    public TradeFlowFeatures() {
        this(KYLE_TRADES, TOXICITY_BUCKET_NOTIONAL, TOXICITY_BUCKETS);
    }

    public TradeFlowFeatures(int kyleTrades, double toxicityBucketNotional, int toxicityBuckets) {
        this.kyle = new RollingRegression(kyleTrades);
        this.toxicity = new FlowToxicity(toxicityBucketNotional, toxicityBuckets);
    }

    public void onTrade(long timeMs, double price, double qty, boolean aggressorBuy) {
        int slot = buckets.slot(timeMs);
        if (slot < 0) return;
        double notional = price * qty;
        if (buckets.isEmpty(slot, COUNT)) buckets.set(slot, FIRST_PRICE, price);
        buckets.add(slot, aggressorBuy ? BUY : SELL, qty);
        buckets.add(slot, COUNT, 1);
        buckets.add(slot, NOTIONAL, notional);
        if (notional >= LARGE_TRADE_NOTIONAL) buckets.add(slot, LARGE, qty);
        if (trades > 0) kyle.update(aggressorBuy ? qty : -qty, price - lastPrice);
        toxicity.onTrade(notional, aggressorBuy);
        trades++;
        lastTradeMs = Math.max(lastTradeMs, timeMs);
        lastPrice = price;
    }

    /** Trades dropped because they were older than the buckets still held. */
    public long lateTrades() { return buckets.late(); }

    public long trades() { return trades; }

    public void write(long asOfMs, double[] dst, int off) {
        if (trades == 0) {
            for (int i = 0; i < NAMES.size(); i++) dst[off + i] = Double.NaN;
            return;
        }
        double buy10 = buckets.sum(BUY, asOfMs, 10);
        double sell10 = buckets.sum(SELL, asOfMs, 10);
        double buy60 = buckets.sum(BUY, asOfMs, 60);
        double sell60 = buckets.sum(SELL, asOfMs, 60);
        double count60 = buckets.sum(COUNT, asOfMs, 60);
        double volume60 = buy60 + sell60;
        double notional60 = buckets.sum(NOTIONAL, asOfMs, 60);
        double first = buckets.earliest(FIRST_PRICE, COUNT, asOfMs, 60);
        dst[off] = buy10;
        dst[off + 1] = sell10;
        dst[off + 2] = buy60;
        dst[off + 3] = sell60;
        dst[off + 4] = volume60 > 0 ? buy60 / volume60 : 0.5;
        dst[off + 5] = buy10 - sell10;
        dst[off + 6] = buy60 - sell60;
        dst[off + 7] = count60;
        dst[off + 8] = count60 / 60.0;
        dst[off + 9] = count60 > 0 ? volume60 / count60 : 0.0;
        dst[off + 10] = volume60 > 0 ? buckets.sum(LARGE, asOfMs, 60) / volume60 : 0.0;
        dst[off + 11] = volume60 > 0 ? notional60 / volume60 : lastPrice;
        dst[off + 12] = Double.isNaN(first) ? 0.0 : (lastPrice - first) / first * 1e4;
        dst[off + 13] = kyle.slope();
        dst[off + 14] = toxicity.value();
        dst[off + 15] = Math.max(0L, asOfMs - lastTradeMs) / 1000.0;
    }

    @Override
    public void write(StateWriter w) {
        buckets.write(w); kyle.write(w); toxicity.write(w); w.putLong(trades).putLong(lastTradeMs).putDouble(lastPrice);
    }

    @Override
    public void read(StateReader r) {
        buckets.read(r); kyle.read(r); toxicity.read(r); trades = r.getLong(); lastTradeMs = r.getLong(); lastPrice = r.getDouble();
    }
}
