package io.riptide.features.offline;

import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.features.InstrumentFeatureEngine;
import io.riptide.features.Regime;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline backfill: reads a kline CSV ({@code open_time_ms,open,high,low,close,volume}, optionally {@code vwap},
 * {@code trade_count}, {@code taker_buy_volume}), feeds every bar to the same {@link InstrumentFeatureEngine} the
 * stream uses, and writes one row per bar: {@code open_time_ms, close}, the bar features of
 * {@link FeatureSets#barIndicators()} in set order, then {@code regime}. Values before warm-up are empty.
 * Malformed lines and bars that do not advance in time are skipped and counted, never silently folded in.
 */
public final class KlineFeatureWriter {
    public static final List<String> REQUIRED_COLUMNS = List.of("open_time_ms", "open", "high", "low", "close", "volume");
    private static final int MAX_REPORTED_LINES = 10;

    /** Called every {@code progressEvery} rows with the number of bars written so far. */
    @FunctionalInterface
    public interface Progress {
        void rows(long written);
    }

    /** What a run did. {@code malformedLineNumbers} holds the first few (1-based) lines skipped. */
    public record Result(long rowsWritten, long malformedLines, List<Long> malformedLineNumbers, long outOfOrderLines) {}

    private final FeatureSet set;
    private final long progressEvery;

    public KlineFeatureWriter() { this(FeatureSets.barIndicators(), 5000); }

    public KlineFeatureWriter(FeatureSet set, long progressEvery) {
        this.set = set;
        this.progressEvery = progressEvery;
    }

    /** Header of the output CSV. */
    public List<String> header() {
        List<String> h = new ArrayList<>();
        h.add("open_time_ms");
        h.add("close");
        for (String n : set.names()) if (!n.equals("regime_code")) h.add(n);
        h.add("regime");
        return h;
    }

    public Result write(Path klines, Path out, Progress progress) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(klines, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            return write(in, w, progress);
        }
    }

    public Result write(Reader reader, Writer writer, Progress progress) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        String headerLine = in.readLine();
        if (headerLine == null) throw new KlineFormatException("kline file is empty: expected a header line with "
                + String.join(",", REQUIRED_COLUMNS));
        String[] columns = headerLine.trim().split(",", -1);
        int[] idx = new int[REQUIRED_COLUMNS.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            idx[i] = find(columns, REQUIRED_COLUMNS.get(i));
            if (idx[i] < 0) missing.add(REQUIRED_COLUMNS.get(i));
        }
        if (!missing.isEmpty()) {
            throw new KlineFormatException("kline header lacks column(s) " + String.join(", ", missing)
                    + " (found: " + headerLine.trim() + ")");
        }
        int vwapCol = find(columns, "vwap");
        int countCol = find(columns, "trade_count");
        int takerCol = find(columns, "taker_buy_volume");

        InstrumentFeatureEngine engine = new InstrumentFeatureEngine(set);
        int regimeIndex = set.indexOf("regime_code");
        double[] values = new double[set.size()];
        writer.write(String.join(",", header()));
        writer.write('\n');

        long lineNo = 1;
        long rows = 0;
        long malformed = 0;
        long outOfOrder = 0;
        List<Long> reported = new ArrayList<>();
        long lastOpen = Long.MIN_VALUE;
        StringBuilder row = new StringBuilder(2048);
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            long openTime;
            double o, h, l, c, v, vwap = Double.NaN, taker = Double.NaN;
            int count = -1;
            try {
                openTime = Long.parseLong(f[idx[0]].trim());
                o = Double.parseDouble(f[idx[1]].trim());
                h = Double.parseDouble(f[idx[2]].trim());
                l = Double.parseDouble(f[idx[3]].trim());
                c = Double.parseDouble(f[idx[4]].trim());
                v = Double.parseDouble(f[idx[5]].trim());
                if (vwapCol >= 0 && !f[vwapCol].isBlank()) vwap = Double.parseDouble(f[vwapCol].trim());
                if (countCol >= 0 && !f[countCol].isBlank()) count = Integer.parseInt(f[countCol].trim());
                if (takerCol >= 0 && !f[takerCol].isBlank()) taker = Double.parseDouble(f[takerCol].trim());
                if (!(l <= h) || !(l > 0) || o < l || o > h || c < l || c > h || !(v >= 0)) {
                    throw new NumberFormatException("inconsistent OHLCV");
                }
            } catch (RuntimeException e) {
                malformed++;
                if (reported.size() < MAX_REPORTED_LINES) reported.add(lineNo);
                continue;
            }
            if (openTime <= lastOpen) {
                outOfOrder++;
                if (reported.size() < MAX_REPORTED_LINES) reported.add(lineNo);
                continue;
            }
            lastOpen = openTime;
            engine.onBar(openTime, o, h, l, c, v, vwap, count, taker);
            engine.writeFeatures(openTime, values);
            row.setLength(0);
            row.append(openTime).append(',').append(c);
            for (int i = 0; i < values.length; i++) {
                if (i == regimeIndex) continue;
                row.append(',');
                if (!Double.isNaN(values[i])) row.append(values[i]);
            }
            row.append(',');
            if (regimeIndex >= 0 && !Double.isNaN(values[regimeIndex])) row.append(Regime.ofCode(values[regimeIndex]).label());
            row.append('\n');
            writer.append(row);
            rows++;
            if (progress != null && rows % progressEvery == 0) progress.rows(rows);
        }
        writer.flush();
        if (progress != null && rows % progressEvery != 0) progress.rows(rows);
        return new Result(rows, malformed, List.copyOf(reported), outOfOrder);
    }

    private static int find(String[] columns, String name) {
        for (int i = 0; i < columns.length; i++) if (columns[i].trim().equals(name)) return i;
        return -1;
    }

}
