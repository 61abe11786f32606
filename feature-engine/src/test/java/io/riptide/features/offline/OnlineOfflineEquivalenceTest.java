package io.riptide.features.offline;

import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.features.InstrumentFeatureEngine;
import io.riptide.features.Klines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline CSV holds exactly the values the streaming engine produces for the same bars, even when the stream
 * interleaves trades, books and liquidations and uses the full liquidation feature set: no training/serving skew.
 */
class OnlineOfflineEquivalenceTest {
    @TempDir
    Path dir;

    @Test
    void csvEqualsStreamingEngineBitForBit() throws IOException {
        Path out = dir.resolve("features.csv");
        KlineFeatureWriter writer = new KlineFeatureWriter();
        KlineFeatureWriter.Result r = writer.write(Klines.sliceFile(), out, null);
        Klines k = Klines.slice();
        assertEquals(k.size(), r.rowsWritten());
        assertEquals(0, r.malformedLines());

        List<String> lines = Files.readAllLines(out);
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(writer.header(), header);

        FeatureSet set = FeatureSets.all();
        InstrumentFeatureEngine stream = new InstrumentFeatureEngine(set);
        double[] v = new double[set.size()];
        double[] bp = {0, 0}, bq = {1, 2}, ap = {0, 0}, aq = {3, 1};
        long compared = 0;
        for (int i = 0; i < k.size(); i++) {
            long t = k.time[i];
            stream.onTrade(t + 5_000, k.open[i], 0.3, true);
            stream.onTrade(t + 55_000, k.close[i], 0.2, false);
            bp[0] = k.close[i] - 0.01;
            bp[1] = k.close[i] - 0.02;
            ap[0] = k.close[i] + 0.01;
            ap[1] = k.close[i] + 0.02;
            stream.onBook(t + 30_000, bp, bq, 2, ap, aq, 2);
            if (i % 50 == 0) stream.onLiquidation(t + 40_000, 1, k.close[i], 1, Double.NaN);
            stream.onBar(t, k.open[i], k.high[i], k.low[i], k.close[i], k.volume[i], Double.NaN, -1, Double.NaN);
            stream.writeFeatures(t + 60_000, v);

            String[] row = lines.get(i + 1).split(",", -1);
            assertEquals(Long.toString(t), row[0]);
            for (int c = 2; c < header.size() - 1; c++) {
                double streamed = v[set.indexOf(header.get(c))];
                String offline = row[c];
                if (Double.isNaN(streamed)) {
                    assertEquals("", offline, header.get(c) + " at bar " + i);
                } else {
                    assertEquals(streamed, Double.parseDouble(offline), 0.0, header.get(c) + " at bar " + i);
                    compared++;
                }
            }
            String regime = row[header.size() - 1];
            assertEquals(stream.regime().equals("unknown") ? "" : stream.regime(), regime, "regime at bar " + i);
        }
        assertTrue(compared > 40_000, "compared " + compared + " values");
    }
}
