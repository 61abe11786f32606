package io.riptide.features;

import com.tictactec.ta.lib.Core;
import com.tictactec.ta.lib.MAType;
import com.tictactec.ta.lib.MInteger;
import com.tictactec.ta.lib.RetCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every indicator TA-Lib implements equals TA-Lib's official Java port within 1e-9 relative after warm-up, on the
 * slice in test resources and on both real kline files (skipped when ../shared/data is absent). The feature must
 * also be NaN exactly before TA-Lib's first output, so the documented warm-up is TA-Lib's lookback + 1.
 */
class TaLibEquivalenceTest {
    private static final double REL = 1e-9;

    @Test
    void sliceMatchesTaLib() {
        assertMatchesTaLib(Klines.slice());
    }

    @Test
    void btcMonthMatchesTaLib() {
        assertMatchesTaLib(Klines.load(Klines.sharedFile(Klines.BTC_FILE)));
    }

    @Test
    void ethMonthMatchesTaLib() {
        assertMatchesTaLib(Klines.load(Klines.sharedFile(Klines.ETH_FILE)));
    }

    private void assertMatchesTaLib(Klines k) {
        FeatureSet set = FeatureSets.barIndicators();
        double[][] f = k.engineFeatures(set);
        Core core = new Core();
        int n = k.size();
        int end = n - 1;
        List<String> failures = new ArrayList<>();
        MInteger beg = new MInteger();
        MInteger nb = new MInteger();

        double[] out = new double[n];
        double[] out2 = new double[n];
        double[] out3 = new double[n];

        check(core.sma(0, end, k.close, 20, beg, nb, out), "sma");
        compare(failures, set, f, "sma_20", out, beg, nb);
        check(core.ema(0, end, k.close, 12, beg, nb, out), "ema");
        compare(failures, set, f, "ema_12", out, beg, nb);
        check(core.ema(0, end, k.close, 26, beg, nb, out), "ema");
        compare(failures, set, f, "ema_26", out, beg, nb);
        check(core.wma(0, end, k.close, 20, beg, nb, out), "wma");
        compare(failures, set, f, "wma_20", out, beg, nb);
        check(core.rsi(0, end, k.close, 14, beg, nb, out), "rsi");
        compare(failures, set, f, "rsi_14", out, beg, nb);
        check(core.macd(0, end, k.close, 12, 26, 9, beg, nb, out, out2, out3), "macd");
        compare(failures, set, f, "macd_12_26", out, beg, nb);
        compare(failures, set, f, "macd_signal_9", out2, beg, nb);
        compare(failures, set, f, "macd_hist_12_26_9", out3, beg, nb);
        check(core.bbands(0, end, k.close, 20, 2.0, 2.0, MAType.Sma, beg, nb, out, out2, out3), "bbands");
        compare(failures, set, f, "bb_upper_20_2", out, beg, nb);
        compare(failures, set, f, "bb_middle_20", out2, beg, nb);
        compare(failures, set, f, "bb_lower_20_2", out3, beg, nb);
        check(core.atr(0, end, k.high, k.low, k.close, 14, beg, nb, out), "atr");
        compare(failures, set, f, "atr_14", out, beg, nb);
        check(core.adx(0, end, k.high, k.low, k.close, 14, beg, nb, out), "adx");
        compare(failures, set, f, "adx_14", out, beg, nb);
        check(core.plusDI(0, end, k.high, k.low, k.close, 14, beg, nb, out), "plusDI");
        compare(failures, set, f, "plus_di_14", out, beg, nb);
        check(core.minusDI(0, end, k.high, k.low, k.close, 14, beg, nb, out), "minusDI");
        compare(failures, set, f, "minus_di_14", out, beg, nb);
        // fast %K alone (fast %D period 1) to check its own warm-up, then %K and %D(3) together
        check(core.stochF(0, end, k.high, k.low, k.close, 14, 1, MAType.Sma, beg, nb, out, out2), "stochF");
        compare(failures, set, f, "stoch_k_14", out, beg, nb);
        check(core.stochF(0, end, k.high, k.low, k.close, 14, 3, MAType.Sma, beg, nb, out, out2), "stochF");
        compare(failures, set, f, "stoch_d_14_3", out2, beg, nb);
        check(core.willR(0, end, k.high, k.low, k.close, 14, beg, nb, out), "willR");
        compare(failures, set, f, "williams_r_14", out, beg, nb);
        check(core.cci(0, end, k.high, k.low, k.close, 20, beg, nb, out), "cci");
        compare(failures, set, f, "cci_20", out, beg, nb);
        check(core.mfi(0, end, k.high, k.low, k.close, k.volume, 14, beg, nb, out), "mfi");
        compare(failures, set, f, "mfi_14", out, beg, nb);
        check(core.roc(0, end, k.close, 10, beg, nb, out), "roc");
        compare(failures, set, f, "roc_10", out, beg, nb);
        check(core.sar(0, end, k.high, k.low, 0.02, 0.2, beg, nb, out), "sar");
        compare(failures, set, f, "sar_002_02", out, beg, nb);
        check(core.max(0, end, k.high, 20, beg, nb, out), "max");
        compare(failures, set, f, "donchian_upper_20", out, beg, nb);
        check(core.min(0, end, k.low, 20, beg, nb, out), "min");
        compare(failures, set, f, "donchian_lower_20", out, beg, nb);
        // Keltner's middle line is the EMA(20) of TA-Lib's typical price
        double[] typical = new double[n];
        check(core.typPrice(0, end, k.high, k.low, k.close, beg, nb, typical), "typPrice");
        check(core.ema(0, end, typical, 20, beg, nb, out), "ema");
        compare(failures, set, f, "keltner_middle_20", out, beg, nb);

        int[] pattern = new int[n];
        check(core.cdlEngulfing(0, end, k.open, k.high, k.low, k.close, beg, nb, pattern), "cdlEngulfing");
        comparePattern(failures, set, f, "pattern_engulfing", pattern, beg, nb);
        check(core.cdlDoji(0, end, k.open, k.high, k.low, k.close, beg, nb, pattern), "cdlDoji");
        comparePattern(failures, set, f, "pattern_doji", pattern, beg, nb);
        check(core.cdlHammer(0, end, k.open, k.high, k.low, k.close, beg, nb, pattern), "cdlHammer");
        comparePattern(failures, set, f, "pattern_hammer", pattern, beg, nb);
        check(core.cdlShootingStar(0, end, k.open, k.high, k.low, k.close, beg, nb, pattern), "cdlShootingStar");
        comparePattern(failures, set, f, "pattern_shooting_star", pattern, beg, nb);
        // one feature carries both directions: morning star +1, evening star -1 (penetration 0.3, TA-Lib's default)
        int[] pattern2 = new int[n];
        MInteger beg2 = new MInteger();
        MInteger nb2 = new MInteger();
        check(core.cdlMorningStar(0, end, k.open, k.high, k.low, k.close, 0.3, beg, nb, pattern), "cdlMorningStar");
        check(core.cdlEveningStar(0, end, k.open, k.high, k.low, k.close, 0.3, beg2, nb2, pattern2), "cdlEveningStar");
        compareTwoWayPattern(failures, set, f, "pattern_morning_evening_star", pattern, beg, nb, pattern2, beg2, nb2);
        check(core.cdl3WhiteSoldiers(0, end, k.open, k.high, k.low, k.close, beg, nb, pattern), "cdl3WhiteSoldiers");
        check(core.cdl3BlackCrows(0, end, k.open, k.high, k.low, k.close, beg2, nb2, pattern2), "cdl3BlackCrows");
        compareTwoWayPattern(failures, set, f, "pattern_three_soldiers_crows", pattern, beg, nb, pattern2, beg2, nb2);

        // OBV's level depends on where it starts; compare bar-to-bar increments
        check(core.obv(0, end, k.close, k.volume, beg, nb, out), "obv");
        assertEquals(0, beg.value);
        int obv = set.indexOf("obv");
        for (int i = 1; i < n; i++) {
            double ours = f[i][obv] - f[i - 1][obv];
            double theirs = out[i] - out[i - 1];
            if (!close(ours, theirs)) failures.add("obv increment at bar " + i + ": " + ours + " vs TA-Lib " + theirs);
            if (failures.size() > 20) break;
        }

        if (!failures.isEmpty()) fail(failures.size() + " mismatch(es) against TA-Lib, first: " + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    }

    /** TA-Lib's candle functions answer +-100; the features answer +-1. */
    private static void comparePattern(List<String> failures, FeatureSet set, double[][] f, String name, int[] talib,
                                       MInteger beg, MInteger nb) {
        double[] asDouble = new double[nb.value];
        for (int j = 0; j < nb.value; j++) asDouble[j] = talib[j] / 100.0;
        int col = set.indexOf(name);
        int hits = 0;
        for (int j = 0; j < nb.value; j++) if (asDouble[j] != 0) hits++;
        assertTrue(hits > 0, "TA-Lib found some " + name + " in the data");
        compare(failures, set, f, name, asDouble, beg, nb);
        assertTrue(col >= 0);
    }

    /**
     * A feature holding a bullish TA-Lib function (+100 -> +1) and its bearish twin (-100 -> -1): NaN until both
     * answer, then their sum (they never fire on the same bar: they demand opposite candle colours). The pair must
     * fire somewhere in the data (three black crows alone are rare in a small slice).
     */
    private static void compareTwoWayPattern(List<String> failures, FeatureSet set, double[][] f, String name,
                                             int[] bull, MInteger begBull, MInteger nbBull,
                                             int[] bear, MInteger begBear, MInteger nbBear) {
        int first = Math.max(begBull.value, begBear.value);
        int last = Math.min(begBull.value + nbBull.value, begBear.value + nbBear.value);
        assertTrue(last > first, "TA-Lib produced values for " + name);
        double[] combined = new double[last - first];
        int bullHits = 0;
        int bearHits = 0;
        for (int i = first; i < last; i++) {
            int up = bull[i - begBull.value];
            int down = bear[i - begBear.value];
            if (up != 0) bullHits++;
            if (down != 0) bearHits++;
            if (up != 0 && down != 0) failures.add(name + ": TA-Lib's two directions both fire at bar " + i);
            combined[i - first] = (up + down) / 100.0;
        }
        assertTrue(bullHits + bearHits > 0, "TA-Lib found some " + name + " in the data");
        MInteger beg = new MInteger();
        beg.value = first;
        MInteger nb = new MInteger();
        nb.value = last - first;
        compare(failures, set, f, name, combined, beg, nb);
    }

    private static void check(RetCode rc, String fn) {
        assertEquals(RetCode.Success, rc, "TA-Lib " + fn);
    }

    private static boolean close(double a, double b) {
        double diff = Math.abs(a - b);
        return diff <= REL * Math.max(Math.abs(a), Math.abs(b)) || diff == 0.0;
    }

    private static void compare(List<String> failures, FeatureSet set, double[][] f, String name, double[] talib,
                                MInteger beg, MInteger nb) {
        int col = set.indexOf(name);
        assertTrue(col >= 0, "feature " + name + " in set");
        assertTrue(nb.value > 0, "TA-Lib produced values for " + name);
        int before = 0;
        for (int i = 0; i < beg.value; i++) {
            if (!Double.isNaN(f[i][col])) {
                failures.add(name + " is " + f[i][col] + " at bar " + i + ", before TA-Lib's first output at " + beg.value);
                return;
            }
            before++;
        }
        int bad = 0;
        for (int j = 0; j < nb.value; j++) {
            int i = beg.value + j;
            if (!close(f[i][col], talib[j])) {
                if (bad++ < 3) failures.add(name + " at bar " + i + ": " + f[i][col] + " vs TA-Lib " + talib[j]);
            }
        }
        if (bad > 3) failures.add(name + ": " + bad + " bars differ in all");
    }
}
