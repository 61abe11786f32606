package io.riptide.app.features;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeaturesCommandTest {
    private static final List<String> REQUIRED = List.of("open_time_ms", "close", "sma_20", "ema_12", "ema_26", "rsi_14",
            "macd_12_26", "macd_signal_9", "bb_upper_20_2", "bb_lower_20_2", "atr_14", "adx_14", "stoch_k_14",
            "williams_r_14", "cci_20", "obv", "mfi_14", "roc_10", "regime");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new FeaturesCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path klines(String... lines) throws IOException {
        Path p = dir.resolve("k.csv");
        Files.write(p, Arrays.asList(lines));
        return p;
    }

    /** The real BTCUSDT kline slice kept (with its SOURCE note) in feature-engine's test resources. */
    private static List<String> realSlice() throws IOException {
        return Files.readAllLines(Path.of("../feature-engine/src/test/resources/btcusdt-1m-2021-04-02-slice.csv"));
    }

    @Test
    void writesOneRowPerBarWithTheRequiredColumns() throws IOException {
        List<String> slice = realSlice();
        Path in = dir.resolve("in.csv");
        Files.write(in, slice);
        Path o = dir.resolve("out.csv");
        assertEquals(0, run("--klines", in.toString(), "--out", o.toString()), err.toString());
        List<String> rows = Files.readAllLines(o);
        assertEquals(slice.size(), rows.size(), "header + one row per bar");
        List<String> header = List.of(rows.get(0).split(","));
        assertTrue(header.containsAll(REQUIRED), "missing: " + REQUIRED.stream().filter(c -> !header.contains(c)).toList());
        // before warm-up the values are empty; afterwards present
        String[] first = rows.get(1).split(",", -1);
        assertEquals("", first[header.indexOf("sma_20")]);
        assertEquals(slice.get(1).split(",")[0], first[0]);
        String[] last = rows.get(rows.size() - 1).split(",", -1);
        for (String c : REQUIRED) assertFalse(last[header.indexOf(c)].isEmpty(), c + " empty on the last row");
        assertTrue(List.of("trending", "sideways", "volatile", "consolidation").contains(last[header.indexOf("regime")]));
        assertTrue(out.toString().contains("wrote " + (slice.size() - 1) + " rows"), out.toString());
    }

    @Test
    void wholeRealMonthOfKlines() throws IOException {
        Path real = null;
        for (String root : new String[] {"../../shared/data", "../shared/data"}) {
            Path p = Path.of(root, "binance-klines-2021-04/ETHUSDT-1m-2021-04-02_2021-04-17.csv");
            if (Files.isReadable(p)) real = p;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(real != null, "../shared/data/binance-klines-2021-04 not found (fresh clone): skipped");
        Path o = dir.resolve("eth.csv");
        assertEquals(0, run("--klines", real.toString(), "--out", o.toString()), err.toString());
        List<String> rows = Files.readAllLines(o);
        assertEquals(23_041, rows.size(), "header + 23,040 bars");
        assertTrue(out.toString().contains("features: 20000 bars"), "progress printed: " + out);
        assertEquals("", err.toString(), "a clean file reports nothing on stderr");
    }

    @Test
    void missingColumnIsAOneLineError() throws IOException {
        Path in = klines("open_time_ms,open,high,low,close", "1,1,1,1,1");
        assertEquals(1, run("--klines", in.toString(), "--out", dir.resolve("o.csv").toString()));
        String e = err.toString().trim();
        assertTrue(e.contains("volume"), e);
        assertEquals(1, e.lines().count(), e);
        assertFalse(e.contains("Exception"), e);
    }

    @Test
    void malformedLinesAreCountedAndReported() throws IOException {
        Path in = klines("open_time_ms,open,high,low,close,volume",
                "60000,10,11,9,10.5,3",
                "120000,10,abc,9,10.5,3",
                "180000,10,11,9,10.5",
                "60000,10,11,9,10.5,3",
                "240000,10,11,9,10.5,3");
        Path o = dir.resolve("o.csv");
        assertEquals(0, run("--klines", in.toString(), "--out", o.toString()), err.toString());
        assertEquals(3, Files.readAllLines(o).size());
        String e = err.toString();
        assertTrue(e.contains("skipped 2 malformed and 1 out-of-order"), e);
        assertTrue(e.contains("[3, 4, 5]"), e);
    }

    @Test
    void missingFileAndEmptyFileAreOneLineErrors() throws IOException {
        assertEquals(1, run("--klines", dir.resolve("nope.csv").toString(), "--out", dir.resolve("o.csv").toString()));
        assertTrue(err.toString().contains("not found"), err.toString());
        Path empty = klines();
        assertEquals(1, run("--klines", empty.toString(), "--out", dir.resolve("o.csv").toString()));
        assertTrue(err.toString().contains("empty"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void missingOptionIsAUsageError() {
        assertEquals(2, run("--klines", "x.csv"));
        assertTrue(err.toString().contains("--out"), err.toString());
    }
}
