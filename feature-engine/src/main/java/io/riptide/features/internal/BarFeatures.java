package io.riptide.features.internal;

import io.riptide.features.Regime;

import java.util.List;

/**
 * Every bar-based feature: TA-Lib indicators, channels, realized volatility, z-scores, candlestick patterns,
 * Donchian breakout and the regime. Updated once per closed bar; values are cached until the next bar.
 */
public final class BarFeatures implements Stateful {
    /** The regime rules' parameters (documented in docs/FEATURES.md). */
    public static final class RegimeRules {
        public static final int WINDOW = 240;
        public static final double VOLATILE_PERCENTILE = 0.90;
        public static final double TREND_ADX = 25.0;
        public static final double SQUEEZE_PERCENTILE = 0.20;

        private RegimeRules() {}
    }

    public static final List<String> NAMES = List.of(
            "sma_20", "ema_12", "ema_26", "wma_20", "rsi_14",
            "macd_12_26", "macd_signal_9", "macd_hist_12_26_9",
            "bb_middle_20", "bb_upper_20_2", "bb_lower_20_2", "bb_pctb_20_2", "bb_bandwidth_20_2",
            "atr_14", "adx_14", "plus_di_14", "minus_di_14",
            "stoch_k_14", "stoch_d_14_3", "williams_r_14", "cci_20", "obv", "vwap_20", "mfi_14", "roc_10", "sar_002_02",
            "ichimoku_tenkan_9", "ichimoku_kijun_26", "ichimoku_senkou_a", "ichimoku_senkou_b",
            "keltner_middle_20", "keltner_upper_20_2", "keltner_lower_20_2",
            "donchian_upper_20", "donchian_lower_20", "donchian_middle_20",
            "log_return_1", "rv_close_30", "rv_parkinson_30", "rv_garman_klass_30",
            "return_zscore_60", "volume_zscore_60", "taker_buy_ratio",
            "pattern_engulfing", "pattern_hammer", "pattern_shooting_star", "pattern_doji",
            "pattern_morning_evening_star", "pattern_three_soldiers_crows", "breakout_donchian_20",
            "regime_code");

    /** Bars needed before each feature (same order as {@link #NAMES}); TA-Lib lookback + 1 where TA-Lib defines it. */
    public static final int[] WARMUP_BARS = {
            20, 12, 26, 20, 15,
            34, 34, 34,
            20, 20, 20, 20, 20,
            15, 28, 15, 15,
            14, 16, 14, 20, 1, 20, 15, 11, 2,
            9, 26, 51, 77,
            20, 20, 20,
            20, 20, 20,
            2, 31, 30, 30,
            61, 60, 1,
            3, 12, 12, 11,
            13, 14, 21,
            31 + RegimeRules.WINDOW - 1};

    private final double[] values = new double[NAMES.size()];
    private long bars;
    private double prevClose = Double.NaN;
    private double prevDonchianUpper = Double.NaN;
    private double prevDonchianLower = Double.NaN;
    private double obv;

    private final Sma sma20 = new Sma(20);
    private final Ema ema12 = new Ema(12);
    private final Ema ema26 = new Ema(26);
    private final Wma wma20 = new Wma(20);
    private final Rsi rsi14 = new Rsi(14);
    private final Macd macd = new Macd(12, 26, 9);
    private final Bollinger bb = new Bollinger(20, 2.0);
    private final Atr atr14 = new Atr(14);
    private final Adx adx14 = new Adx(14);
    private final RollingExtreme hh14 = RollingExtreme.max(14);
    private final RollingExtreme ll14 = RollingExtreme.min(14);
    private final Sma stochD = new Sma(3);
    private final Cci cci20 = new Cci(20);
    private final RollingStats vwapNum = new RollingStats(20);
    private final RollingStats vwapDen = new RollingStats(20);
    private final Mfi mfi14 = new Mfi(14);
    private final Ring closes11 = new Ring(11);
    private final Sar sar = new Sar(0.02, 0.2);
    private final RollingExtreme hh9 = RollingExtreme.max(9);
    private final RollingExtreme ll9 = RollingExtreme.min(9);
    private final RollingExtreme hh26 = RollingExtreme.max(26);
    private final RollingExtreme ll26 = RollingExtreme.min(26);
    private final RollingExtreme hh52 = RollingExtreme.max(52);
    private final RollingExtreme ll52 = RollingExtreme.min(52);
    private final Ring senkouA = new Ring(26);
    private final Ring senkouB = new Ring(26);
    private final Ema keltnerEma = new Ema(20);
    private final Atr keltnerAtr = new Atr(10);
    private final RollingExtreme hh20 = RollingExtreme.max(20);
    private final RollingExtreme ll20 = RollingExtreme.min(20);
    private final RollingStats returns30 = new RollingStats(30);
    private final RollingStats parkinson30 = new RollingStats(30);
    private final RollingStats garmanKlass30 = new RollingStats(30);
    private final RollingStats returns60 = new RollingStats(60);
    private final RollingStats volume60 = new RollingStats(60);
    private final RollingStats rvHistory = new RollingStats(RegimeRules.WINDOW);
    private final RollingStats bandwidthHistory = new RollingStats(RegimeRules.WINDOW);
    private final CandlePatterns candles = new CandlePatterns();
    private Regime regime = Regime.UNKNOWN;

    public BarFeatures() {
        java.util.Arrays.fill(values, Double.NaN);
    }

    public void onBar(double open, double high, double low, double close, double volume, double vwap, double takerBuyVolume) {
        bars++;
        double[] v = values;
        v[0] = sma20.update(close);
        v[1] = ema12.update(close);
        v[2] = ema26.update(close);
        v[3] = wma20.update(close);
        v[4] = rsi14.update(close);
        macd.update(close);
        v[5] = macd.line();
        v[6] = macd.signal();
        v[7] = macd.histogram();
        bb.update(close);
        if (bars >= 20) {
            v[8] = bb.middle();
            v[9] = bb.upper();
            v[10] = bb.lower();
            v[11] = bb.percentB(close);
            v[12] = bb.bandwidth();
            bandwidthHistory.update(v[12]);
        }
        v[13] = atr14.update(high, low, close);
        adx14.update(high, low, close);
        v[14] = adx14.adx();
        v[15] = adx14.plusDi();
        v[16] = adx14.minusDi();
        double hi14 = hh14.update(high);
        double lo14 = ll14.update(low);
        if (bars >= 14) {
            double diff = (hi14 - lo14) / 100.0;
            v[17] = diff != 0.0 ? (close - lo14) / diff : 0.0;
            v[18] = stochD.update(v[17]);
            double wdiff = (hi14 - lo14) / (-100.0);
            v[19] = wdiff != 0.0 ? (hi14 - close) / wdiff : 0.0;
        }
        v[20] = cci20.update(high, low, close);
        if (bars == 1) obv = volume;
        else if (close > prevClose) obv += volume;
        else if (close < prevClose) obv -= volume;
        v[21] = obv;
        double price = Double.isNaN(vwap) ? (high + low + close) / 3.0 : vwap;
        vwapNum.update(price * volume);
        vwapDen.update(volume);
        if (vwapDen.isFull()) v[22] = vwapDen.sum() > 0 ? vwapNum.sum() / vwapDen.sum() : close;
        v[23] = mfi14.update(high, low, close, volume);
        closes11.push(close);
        if (closes11.isFull()) {
            double then = closes11.oldest();
            v[24] = then != 0.0 ? ((close / then) - 1.0) * 100.0 : 0.0;
        }
        v[25] = sar.update(high, low);

        double tenkanHi = hh9.update(high);
        double tenkanLo = ll9.update(low);
        double kijunHi = hh26.update(high);
        double kijunLo = ll26.update(low);
        double bHi = hh52.update(high);
        double bLo = ll52.update(low);
        double tenkan = hh9.isWarm() ? (tenkanHi + tenkanLo) / 2 : Double.NaN;
        double kijun = hh26.isWarm() ? (kijunHi + kijunLo) / 2 : Double.NaN;
        v[26] = tenkan;
        v[27] = kijun;
        senkouA.push((tenkan + kijun) / 2);
        senkouB.push(hh52.isWarm() ? (bHi + bLo) / 2 : Double.NaN);
        // the cloud shown on this bar was projected 26 periods ahead counting the projecting bar (25 bars ago), as ta4j and most charts do
        v[28] = senkouA.isFull() ? senkouA.oldest() : Double.NaN;
        v[29] = senkouB.isFull() ? senkouB.oldest() : Double.NaN;

        double kMid = keltnerEma.update((high + low + close) / 3.0);
        double kAtr = keltnerAtr.update(high, low, close);
        if (bars >= 20) {
            v[30] = kMid;
            v[31] = kMid + 2.0 * kAtr;
            v[32] = kMid - 2.0 * kAtr;
        }
        double dHi = hh20.update(high);
        double dLo = ll20.update(low);
        if (hh20.isWarm()) {
            v[33] = dHi;
            v[34] = dLo;
            v[35] = (dHi + dLo) / 2;
        }

        double logHl = Math.log(high / low);
        double logCo = Math.log(close / open);
        parkinson30.update(logHl * logHl);
        garmanKlass30.update(0.5 * logHl * logHl - (2 * Math.log(2) - 1) * logCo * logCo);
        if (parkinson30.isFull()) {
            v[38] = Math.sqrt(parkinson30.nonNegativeSum() / (30 * 4 * Math.log(2)));
            v[39] = Math.sqrt(garmanKlass30.nonNegativeSum() / 30);
        }
        if (bars >= 2) {
            double r = Math.log(close / prevClose);
            v[36] = r;
            returns30.update(r);
            returns60.update(r);
            if (returns30.isFull()) {
                v[37] = returns30.rootMeanSquare();
                rvHistory.update(v[37]);
            }
            if (returns60.isFull()) v[40] = zscore(r, returns60);
        }
        volume60.update(volume);
        if (volume60.isFull()) v[41] = zscore(volume, volume60);
        v[42] = Double.isNaN(takerBuyVolume) || volume <= 0 ? Double.NaN : takerBuyVolume / volume;

        candles.update(open, high, low, close);
        v[43] = bars >= 3 ? candles.engulfing : Double.NaN; // TA-Lib's CDLENGULFING lookback is 2
        v[44] = candles.hammer;
        v[45] = candles.shootingStar;
        v[46] = candles.doji;
        v[47] = candles.star; // NaN before TA-Lib's lookback, as hammer, shooting star and doji
        v[48] = candles.soldiersCrows;
        if (bars > 20) v[49] = close > prevDonchianUpper ? 1 : close < prevDonchianLower ? -1 : 0;
        prevDonchianUpper = hh20.isWarm() ? dHi : Double.NaN;
        prevDonchianLower = hh20.isWarm() ? dLo : Double.NaN;

        regime = classify(v[14]);
        v[50] = regime == Regime.UNKNOWN ? Double.NaN : regime.code();
        prevClose = close;
    }

    private static double zscore(double x, RollingStats stats) {
        double sd = stats.sampleStd();
        return sd > 0 ? (x - stats.mean()) / sd : 0.0;
    }

    private Regime classify(double adx) {
        if (!rvHistory.isFull() || !bandwidthHistory.isFull() || Double.isNaN(adx)) return Regime.UNKNOWN;
        double rv = values[37];
        double bw = values[12];
        if (rvHistory.percentileOf(rv) >= RegimeRules.VOLATILE_PERCENTILE) return Regime.VOLATILE;
        if (adx >= RegimeRules.TREND_ADX) return Regime.TRENDING;
        if (bandwidthHistory.percentileOf(bw) <= RegimeRules.SQUEEZE_PERCENTILE) return Regime.CONSOLIDATION;
        return Regime.SIDEWAYS;
    }

    public void write(double[] dst, int offset) {
        System.arraycopy(values, 0, dst, offset, values.length);
    }

    public double value(int index) { return values[index]; }

    public long bars() { return bars; }

    public Regime regime() { return regime; }

    private Stateful[] components() {
        return new Stateful[] {sma20, ema12, ema26, wma20, rsi14, macd, bb, atr14, adx14, hh14, ll14, stochD, cci20, vwapNum, vwapDen, mfi14, closes11, sar, hh9, ll9, hh26, ll26, hh52, ll52, senkouA, senkouB, keltnerEma, keltnerAtr, hh20, ll20, returns30, parkinson30, garmanKlass30, returns60, volume60, rvHistory, bandwidthHistory, candles};
    }

    @Override
    public void write(StateWriter w) {
        w.putDoubles(values).putLong(bars).putDouble(prevClose).putDouble(prevDonchianUpper).putDouble(prevDonchianLower)
                .putDouble(obv).putInt(regime.code());
        for (Stateful c : components()) c.write(w);
    }

    @Override
    public void read(StateReader r) {
        r.getDoubles(values);
        bars = r.getLong();
        prevClose = r.getDouble();
        prevDonchianUpper = r.getDouble();
        prevDonchianLower = r.getDouble();
        obv = r.getDouble();
        regime = Regime.ofCode(r.getInt());
        for (Stateful c : components()) c.read(r);
    }
}
