package io.riptide.features;

import io.riptide.features.internal.FlowToxicity;
import io.riptide.features.internal.RollingRegression;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Features no reference library has (book, OFI, VPIN-style toxicity, Kyle's lambda, liquidation windows,
 * patterns) checked against small examples worked by hand from the papers' definitions; the arithmetic is
 * written out next to each expectation.
 */
class WorkedExamplesTest {
    private static final double EPS = 1e-12;
    private static final FeatureSet SET = FeatureSets.all();

    private static double feature(InstrumentFeatureEngine e, long asOf, String name) {
        double[] out = new double[SET.size()];
        e.writeFeatures(asOf, out);
        int i = SET.indexOf(name);
        assertTrue(i >= 0, name);
        return out[i];
    }

    private static void book(InstrumentFeatureEngine e, long t, double[] bp, double[] bq, double[] ap, double[] aq) {
        e.onBook(t, bp, bq, bp.length, ap, aq, ap.length);
    }

    @Test
    void spreadMidMicropriceAndImbalance() {
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(SET);
        // bid 99 x 3, ask 101 x 1 at the top; second level 98 x 1 / 102 x 5
        book(e, 1_000, new double[] {99, 98}, new double[] {3, 1}, new double[] {101, 102}, new double[] {1, 5});
        assertEquals(2.0, feature(e, 1_000, "spread"), EPS);
        assertEquals(100.0, feature(e, 1_000, "mid"), EPS);
        // 2 / 100 * 1e4
        assertEquals(200.0, feature(e, 1_000, "spread_bps"), EPS);
        // Stoikov's first-order micro-price = weighted mid: (99*1 + 101*3) / (3+1) = 402/4
        assertEquals(100.5, feature(e, 1_000, "microprice"), EPS);
        // (3 - 1) / (3 + 1)
        assertEquals(0.5, feature(e, 1_000, "imbalance_1"), EPS);
        // two levels: (4 - 6) / 10
        assertEquals(-0.2, feature(e, 1_000, "imbalance_5"), EPS);
        // size-weighted mid over 5 levels: bid vwap (99*3+98)/4 = 98.75, ask vwap (101+102*5)/6 = 101.8333..; mean
        assertEquals((98.75 + 611.0 / 6) / 2, feature(e, 1_000, "size_weighted_mid_5"), EPS);
        // within 100 bps of mid only the tops (1%: 99..101) -> within 10 bps nothing, 50 bps nothing
        assertEquals(0.0, feature(e, 1_000, "depth_bid_10bps"), EPS);
    }

    @Test
    void orderFlowImbalanceFollowsContKukanovStoikov() {
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(SET);
        double[] bp = {100}, ap = {101};
        // n=0: bid 100 x 5, ask 101 x 4 (no e_n for the first book)
        book(e, 10_000, bp, new double[] {5}, ap, new double[] {4});
        // n=1: bid price same, size 7; ask same, size 4 -> e = 7 - 5 - 4 + 4 = 2
        book(e, 10_200, bp, new double[] {7}, ap, new double[] {4});
        // n=2: bid up to 100.5 x 1 -> +1 (no -q_prev since price rose); ask down to 100.9 x 2 -> -2 (no +q_prev) -> e = -1
        book(e, 10_400, new double[] {100.5}, new double[] {1}, new double[] {100.9}, new double[] {2});
        // n=3: bid falls to 100 x 9 -> -1 (only the old size leaves); ask rises to 101 x 3 -> +2 (old ask size) -> e = 1
        book(e, 11_000, bp, new double[] {9}, ap, new double[] {3});
        assertEquals(2 - 1 + 1, feature(e, 11_000, "ofi_10s"), EPS);
        // 4 book updates in the 10 whole seconds ending at second 11 -> 0.4 per second
        assertEquals(0.4, feature(e, 11_000, "book_updates_per_s_10s"), EPS);
        // as of 21.5 s, the 10 s window covers seconds 12..21: nothing left
        assertEquals(0.0, feature(e, 21_500, "ofi_10s"), EPS);
        assertEquals(2.0, feature(e, 21_500, "ofi_60s"), EPS);
    }

    @Test
    void liquidationWindowsCountsImbalanceAndCascade() {
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(SET);
        long t0 = 10_000_000L;
        e.onLiquidation(t0 - 20 * 60_000L, +1, 100, 10, 1_000);   // 20 min before: only in 60m
        e.onLiquidation(t0 - 10 * 60_000L, -1, 100, 20, 2_000);   // 10 min before: 15m and 60m
        e.onLiquidation(t0 - 3 * 60_000L, +1, 100, 30, 3_000);    // 3 min before: 5m, 15m, 60m
        e.onLiquidation(t0 - 30_000L, -1, 100, 4, 400);           // 30 s before: all windows
        e.onLiquidation(t0, 0, 100, 1, Double.NaN);               // unknown side, notional from price*qty = 100
        long asOf = t0;
        assertEquals(400 + 100, feature(e, asOf, "liq_notional_1m"), EPS);
        assertEquals(3_000 + 400 + 100, feature(e, asOf, "liq_notional_5m"), EPS);
        assertEquals(2_000 + 3_000 + 400 + 100, feature(e, asOf, "liq_notional_15m"), EPS);
        assertEquals(1_000 + 2_000 + 3_000 + 400 + 100, feature(e, asOf, "liq_notional_60m"), EPS);
        assertEquals(3_000, feature(e, asOf, "liq_long_notional_5m"), EPS);
        assertEquals(400, feature(e, asOf, "liq_short_notional_5m"), EPS);
        assertEquals(4, feature(e, asOf, "liq_count_15m"), EPS);
        // 15m: long 3000, short 2400 -> (3000 - 2400) / 5400
        assertEquals(600.0 / 5400.0, feature(e, asOf, "liq_side_imbalance_15m"), EPS);
        assertEquals(3_000, feature(e, asOf, "liq_max_notional_15m"), EPS);
        assertEquals(5_500 / 4.0, feature(e, asOf, "liq_mean_notional_15m"), EPS);
        assertEquals(0.0, feature(e, asOf, "liq_seconds_since_last"), EPS);
        // cascade: sum of notional x 0.5^(age / 60 s)
        double cascade = 1_000 * Math.pow(0.5, 20) + 2_000 * Math.pow(0.5, 10) + 3_000 * Math.pow(0.5, 3) + 400 * Math.pow(0.5, 0.5) + 100;
        assertEquals(cascade, feature(e, asOf, "liq_cascade_intensity"), 1e-9);
        // 90 s later: the 30-s-old one has left the 1m window, the newest one too (age 90 s)
        assertEquals(0.0, feature(e, asOf + 90_000, "liq_notional_1m"), EPS);
        assertEquals(90.0, feature(e, asOf + 90_000, "liq_seconds_since_last"), EPS);
        assertEquals(cascade * 0.5 * Math.sqrt(0.5), feature(e, asOf + 90_000, "liq_cascade_intensity"), 1e-9);
    }

    @Test
    void tradeFlowVolumesSharesAndIntensity() {
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(SET);
        e.onTrade(100_000, 100, 2, true);
        e.onTrade(100_500, 101, 1, false);
        e.onTrade(105_000, 102, 3, true);
        e.onTrade(150_000, 2_000, 100, false); // notional 200,000: a large trade
        long asOf = 150_999;
        assertEquals(5, feature(e, asOf, "buy_volume_60s"), EPS);
        assertEquals(101, feature(e, asOf, "sell_volume_60s"), EPS);
        assertEquals(5.0 / 106, feature(e, asOf, "buy_volume_share_60s"), EPS);
        assertEquals(-96, feature(e, asOf, "signed_volume_60s"), EPS);
        assertEquals(-100, feature(e, asOf, "signed_volume_10s"), EPS);
        assertEquals(4.0 / 60, feature(e, asOf, "trade_intensity_60s"), EPS);
        assertEquals(100.0 / 106, feature(e, asOf, "large_trade_share_60s"), EPS);
        // (200 + 101 + 306 + 200000) / 106
        assertEquals(200_607.0 / 106, feature(e, asOf, "trade_vwap_60s"), 1e-9);
        // first trade in the window at 100, last 2000: +1900 % = 190,000 bps
        assertEquals(190_000.0, feature(e, asOf, "trade_return_bps_60s"), 1e-6);
    }

    @Test
    void kyleLambdaIsTheSlopeOfPriceChangeOnSignedVolume() {
        RollingRegression r = new RollingRegression(3);
        // (q, dp): (1, 0.1), (2, 0.3), (-1, -0.2): sum q = 2, sum dp = 0.2, sum q*dp = 0.9, sum q^2 = 6
        // Sxy = 0.9 - 2*0.2/3 = 0.76666..; Sxx = 6 - 2*2/3 = 4.6666..; lambda = 0.76666../4.6666.. = 0.1642857..
        r.update(1, 0.1);
        r.update(2, 0.3);
        assertTrue(Double.isNaN(r.slope()));
        r.update(-1, -0.2);
        assertEquals(0.23 / 1.4, r.slope(), 1e-12);
        // a fourth pair evicts the first: (2, 0.3), (-1, -0.2), (1, 0.1) is the same set -> same slope
        r.update(1, 0.1);
        assertEquals(0.23 / 1.4, r.slope(), 1e-12);
    }

    @Test
    void flowToxicityOverEqualNotionalBuckets() {
        FlowToxicity vpin = new FlowToxicity(100, 2);
        vpin.onTrade(80, true);   // bucket 1: buy 80
        vpin.onTrade(50, false);  // sell 20 fills bucket 1 (|80-20|/100 = 0.6); sell 30 opens bucket 2
        assertTrue(Double.isNaN(vpin.value()));
        vpin.onTrade(70, true);   // bucket 2: sell 30 + buy 70 -> |70-30|/100 = 0.4
        assertEquals((0.6 + 0.4) / 2, vpin.value(), EPS);
        vpin.onTrade(250, false); // two full sell buckets (1.0, 1.0) and 50 pending
        assertEquals(1.0, vpin.value(), EPS);
    }

    @Test
    void candlestickPatternsOnHandMadeBars() {
        FeatureSet set = FeatureSets.barIndicators();
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(set);
        double[] out = new double[set.size()];
        // ten quiet bars with a high-low range of 2, which TA-Lib's doji rule averages (10% of it = 0.2)
        long t = 0;
        for (int i = 0; i < 10; i++, t += 60_000) e.onBar(t, 100, 101, 99, 100.5, 1, Double.NaN, -1, Double.NaN);
        // bearish 105 -> 100, then bullish 99 -> 106 engulfs it (TA-Lib: opens below the previous close, closes above its open)
        e.onBar(t, 105, 106, 99.5, 100, 1, Double.NaN, -1, Double.NaN);
        t += 60_000;
        e.onBar(t, 99, 107, 98.5, 106, 1, Double.NaN, -1, Double.NaN);
        e.writeFeatures(t, out);
        assertEquals(1.0, out[set.indexOf("pattern_engulfing")]);
        assertEquals(0.0, out[set.indexOf("pattern_doji")]); // body 7 > 0.2
        // hammer (TA-Lib CDLHAMMER), bar 12: 99 -> 99.5, high 99.6, low 96. Against the ten previous bars (2..11):
        // body 0.5 < mean body (8x0.5 + 5 + 7) / 10 = 1.6; lower shadow 3 > its own body 0.5 (ShadowLong, period 0);
        // upper shadow 0.1 < 10% of mean range (8x2 + 6.5 + 8.5) / 10 = 3.1 -> 0.31; body bottom 99 <= previous low
        // 98.5 + 20% of the mean range of the 5 bars before the previous one (4x2 + 6.5) / 5 = 2.9 -> 0.58, i.e. 99.08
        t += 60_000;
        e.onBar(t, 99, 99.6, 96, 99.5, 1, Double.NaN, -1, Double.NaN);
        e.writeFeatures(t, out);
        assertEquals(1.0, out[set.indexOf("pattern_hammer")]);
        assertEquals(0.0, out[set.indexOf("pattern_shooting_star")]);
        assertEquals(0.0, out[set.indexOf("pattern_engulfing")]);
        // doji: body 0.05 <= 10% of the mean range of the ten previous bars ((7x2 + 6.5 + 8.5 + 3.6) / 10 = 3.26 -> 0.326)
        t += 60_000;
        e.onBar(t, 100, 101, 99, 100.05, 1, Double.NaN, -1, Double.NaN);
        e.writeFeatures(t, out);
        assertEquals(1.0, out[set.indexOf("pattern_doji")]);
        // shooting star (TA-Lib CDLSHOOTINGSTAR), bar 14: 100.6 -> 100.2, high 103.6, low 100.15. Against bars 4..13:
        // body 0.4 < mean body (6x0.5 + 5 + 7 + 0.5 + 0.05) / 10 = 1.555; upper shadow 3 > body 0.4; lower shadow
        // 0.05 < 10% of mean range (6x2 + 6.5 + 8.5 + 3.6 + 2) / 10 = 3.26 -> 0.326; body gaps up: 100.2 > 100.05
        t += 60_000;
        e.onBar(t, 100.6, 103.6, 100.15, 100.2, 1, Double.NaN, -1, Double.NaN);
        e.writeFeatures(t, out);
        assertEquals(-1.0, out[set.indexOf("pattern_shooting_star")]);
        assertEquals(0.0, out[set.indexOf("pattern_hammer")]);
        for (Pattern p : Pattern.values()) assertTrue(set.indexOf(p.featureName()) >= 0, p.featureName());
    }

    @Test
    void morningStarAndThreeSoldiers() {
        FeatureSet set = FeatureSets.barIndicators();
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(set);
        double[] out = new double[set.size()];
        // ten quiet bars 0..9: body 0.5, range 2, the candles TA-Lib's averages start from
        for (int i = 0; i < 10; i++) e.onBar(i * 60_000L, 100, 101, 99, 100.5, 1, Double.NaN, -1, Double.NaN);
        // morning star (TA-Lib CDLMORNINGSTAR, penetration 0.3) on bars 10..12:
        // 10: long black 110 -> 100, body 10 > mean body of bars 0..9 = 0.5 (BodyLong)
        e.onBar(600_000, 110, 110.5, 99.5, 100, 1, Double.NaN, -1, Double.NaN);
        // 11: body 0.3 <= mean body of bars 1..10 (9x0.5 + 10) / 10 = 1.45 (BodyShort); body top 99.8 gaps below 100
        e.onBar(660_000, 99.5, 100.2, 99, 99.8, 1, Double.NaN, -1, Double.NaN);
        e.writeFeatures(660_000, out);
        assertTrue(Double.isNaN(out[set.indexOf("pattern_morning_evening_star")]), "TA-Lib's lookback is 12 bars");
        // 12: white 100 -> 106, body 6 > mean body of bars 2..11 (8x0.5 + 10 + 0.3) / 10 = 1.43; closes above
        // 100 + 0.3 x 10 = 103, 30% into the first body
        e.onBar(720_000, 100, 106.5, 99.9, 106, 1, Double.NaN, -1, Double.NaN);
        e.writeFeatures(720_000, out);
        assertEquals(1.0, out[set.indexOf("pattern_morning_evening_star")]);

        // three white soldiers (TA-Lib CDL3WHITESOLDIERS) on bars 11..13 after eleven quiet bars; the feature also
        // waits for CDL3BLACKCROWS's lookback of 13
        InstrumentFeatureEngine s = new InstrumentFeatureEngine(set);
        long t = 0;
        for (int i = 0; i < 11; i++, t += 60_000) s.onBar(t, 100, 101, 99, 100.5, 1, Double.NaN, -1, Double.NaN);
        // upper shadows 0.1 < 10% of the mean range before each (0.2, 0.212, 0.224); each opens above the previous
        // open and below its close (+ Near); bodies 3, 3, 4 do not shrink by more than Far; the last body 4 > mean
        // body of bars 3..12 (8x0.5 + 3 + 3) / 10 = 1.0
        for (double[] b : List.of(new double[] {100, 103}, new double[] {102, 105}, new double[] {104, 108})) {
            s.writeFeatures(t, out);
            assertTrue(Double.isNaN(out[set.indexOf("pattern_three_soldiers_crows")]), "not warm before bar 13");
            s.onBar(t, b[0], b[1] + 0.1, b[0] - 0.1, b[1], 1, Double.NaN, -1, Double.NaN);
            t += 60_000;
        }
        s.writeFeatures(t, out);
        assertEquals(1.0, out[set.indexOf("pattern_three_soldiers_crows")]);
    }
}
