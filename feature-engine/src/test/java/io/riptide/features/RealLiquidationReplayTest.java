package io.riptide.features;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real OKX BTC-USDT-SWAP liquidations (../shared/data/liquidations-okx-hyperliquid) replayed through the engine; at
 * every event and between events the window features equal a brute-force recount over the event list.
 */
class RealLiquidationReplayTest {
    private static final double BTC_CONTRACT = 0.01; // OKX ctVal: size_usd is contracts x price

    record Liq(long t, int side, double notional) {}

    @Test
    void windowsEqualABruteForceRecount() throws IOException {
        Path file = Klines.sharedFile("liquidations-okx-hyperliquid/liquidations.csv");
        List<Liq> events = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (!f[2].equals("okx") || !f[3].equals("BTC")) continue;
            int side = f[4].equals("sell") ? 1 : f[4].equals("buy") ? -1 : 0;
            events.add(new Liq(Long.parseLong(f[1]), side, Double.parseDouble(f[5]) * BTC_CONTRACT));
        }
        assertTrue(events.size() > 100, "OKX BTC liquidations: " + events.size());

        FeatureSet set = FeatureSets.all();
        InstrumentFeatureEngine e = new InstrumentFeatureEngine(set);
        double[] out = new double[set.size()];
        long[] windows = {60_000, 300_000, 900_000, 3_600_000};
        String[] w = {"1m", "5m", "15m", "60m"};
        int checks = 0;
        for (int i = 0; i < events.size(); i++) {
            Liq l = events.get(i);
            e.onLiquidation(l.t, l.side, Double.NaN, Double.NaN, l.notional);
            if (i + 1 < events.size() && events.get(i + 1).t == l.t) continue; // same millisecond: check after the last
            for (long asOf : new long[] {l.t, l.t + 45_000}) {
                if (i + 1 < events.size() && asOf >= events.get(i + 1).t) continue;
                e.writeFeatures(asOf, out);
                for (int k = 0; k < 4; k++) {
                    double longs = 0, shorts = 0, count = 0;
                    for (int j = 0; j <= i; j++) {
                        Liq x = events.get(j);
                        if (x.t > asOf - windows[k] && x.t <= asOf) {
                            count++;
                            if (x.side > 0) longs += x.notional; else shorts += x.notional;
                        }
                    }
                    assertEquals(longs, out[set.indexOf("liq_long_notional_" + w[k])], 1e-6 * (1 + longs), "long " + w[k] + " at " + asOf);
                    assertEquals(shorts, out[set.indexOf("liq_short_notional_" + w[k])], 1e-6 * (1 + shorts), "short " + w[k]);
                    assertEquals(count, out[set.indexOf("liq_count_" + w[k])], "count " + w[k] + " at " + asOf);
                }
                assertEquals((asOf - l.t) / 1000.0, out[set.indexOf("liq_seconds_since_last")], 1e-9);
                checks++;
            }
        }
        assertTrue(checks > 100, "checks " + checks);
    }
}
