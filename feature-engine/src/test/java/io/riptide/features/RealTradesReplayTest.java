package io.riptide.features;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Binance BTCUSDT spot trades (../shared/data/binance-ws-2024-08-08, both files, ~20k trades): 1-minute bars
 * from {@link BarAggregator} equal bars recounted by brute force, and the engine's trade-flow windows equal a
 * brute-force recount, with the aggressor side taken from the exchange ({@code m} = buyer is maker -> seller aggressed).
 */
class RealTradesReplayTest {
    private static final Pattern TRADE = Pattern.compile(
            "\"p\":\"([0-9.]+)\",\"q\":\"([0-9.]+)\",\"T\":([0-9]+),\"m\":(true|false)");

    record Trade(long t, double p, double q, boolean buy) {}

    static List<Trade> trades() throws IOException {
        List<Trade> out = new ArrayList<>();
        for (String name : new String[] {"btcusdt_20240808.gz", "btcusdt_20240809.gz"}) {
            Path f = Klines.sharedFile("binance-ws-2024-08-08/spot/" + name);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.contains("@trade\"")) continue;
                    Matcher m = TRADE.matcher(line);
                    assertTrue(m.find(), "unparsed trade line: " + line);
                    out.add(new Trade(Long.parseLong(m.group(3)), Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                            m.group(4).equals("false")));
                }
            }
        }
        return out;
    }

    @Test
    void barsFromRealTradesEqualABruteForceRecount() throws IOException {
        List<Trade> trades = trades();
        assertTrue(trades.size() > 19_000, "trades " + trades.size());
        TreeMap<Long, List<Trade>> byMinute = new TreeMap<>();
        for (Trade t : trades) byMinute.computeIfAbsent(Math.floorDiv(t.t, 60_000L) * 60_000L, x -> new ArrayList<>()).add(t);

        BarAggregator agg = new BarAggregator(60_000);
        int closed = 0;
        for (Trade t : trades) {
            if (!agg.onTrade(t.t, t.p, t.q, t.buy)) continue;
            closed++;
            List<Trade> bar = byMinute.get(agg.closedOpenTimeMs());
            double high = Double.NEGATIVE_INFINITY, low = Double.POSITIVE_INFINITY, vol = 0, notional = 0, buy = 0;
            for (Trade x : bar) {
                high = Math.max(high, x.p);
                low = Math.min(low, x.p);
                vol += x.q;
                notional += x.p * x.q;
                if (x.buy) buy += x.q;
            }
            assertEquals(bar.get(0).p, agg.closedOpen());
            assertEquals(high, agg.closedHigh());
            assertEquals(low, agg.closedLow());
            assertEquals(bar.get(bar.size() - 1).p, agg.closedClose());
            assertEquals(vol, agg.closedVolume(), 1e-9 * vol);
            assertEquals(notional / vol, agg.closedVwap(), 1e-9 * high);
            assertEquals(bar.size(), agg.closedTradeCount());
            assertEquals(buy, agg.closedTakerBuyVolume(), 1e-9 * vol);
        }
        assertEquals(byMinute.size() - 1, closed, "every minute but the still-open last one closed");
        assertEquals(0, agg.lateTrades());
    }

    @Test
    void tradeFlowWindowsEqualABruteForceRecount() throws IOException {
        List<Trade> trades = trades();
        FeatureSet set = FeatureSets.liquidation();
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(set);
        double[] out = new double[set.size()];
        int checks = 0;
        for (int i = 0; i < trades.size(); i++) {
            Trade t = trades.get(i);
            e.onTrade(t.t, t.p, t.q, t.buy);
            if (i % 997 != 0) continue;
            e.writeFeatures(t.t, out);
            long sec = Math.floorDiv(t.t, 1000L);
            double buy60 = 0, sell60 = 0, count60 = 0, buy10 = 0, sell10 = 0;
            for (int j = 0; j <= i; j++) {
                Trade x = trades.get(j);
                long s = Math.floorDiv(x.t, 1000L);
                if (s > sec - 60 && s <= sec) {
                    count60++;
                    if (x.buy) buy60 += x.q; else sell60 += x.q;
                }
                if (s > sec - 10 && s <= sec) {
                    if (x.buy) buy10 += x.q; else sell10 += x.q;
                }
            }
            assertEquals(buy60, out[set.indexOf("buy_volume_60s")], 1e-9);
            assertEquals(sell60, out[set.indexOf("sell_volume_60s")], 1e-9);
            assertEquals(buy10 - sell10, out[set.indexOf("signed_volume_10s")], 1e-9);
            assertEquals(count60, out[set.indexOf("trade_count_60s")]);
            checks++;
        }
        assertTrue(checks >= 20, "checks " + checks);
        assertEquals(0, e.lateEvents());
        assertTrue(Double.isFinite(out[set.indexOf("kyle_lambda_200")]), "Kyle's lambda after 20k real trades");
        double toxicity = out[set.indexOf("flow_toxicity_50")];
        assertTrue(toxicity >= 0 && toxicity <= 1, "flow toxicity in [0,1]: " + toxicity);
    }
}
