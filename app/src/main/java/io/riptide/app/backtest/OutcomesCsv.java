package io.riptide.app.backtest;

import io.riptide.schemas.avro.Outcome;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * outcomes.csv beside backtest.json: every resolved outcome of every arm, in the order the stream's monitor judged
 * them (resolution time). It lets detector settings be studied without replaying the market
 * ({@code riptide backtest detectors}).
 */
final class OutcomesCsv {
    static final String FILE = "outcomes.csv";
    static final String HEADER = "arm,model_key,version,instrument,prediction_time_ms,resolved_at_ms,probability,label";

    /** One row as the sweep reads it. */
    record Row(String arm, String modelKey, int version, String instrument, long predictionTimeMs, long resolvedAtMs,
               double probability, int label) {
    }

    private OutcomesCsv() {
    }

    static String row(String arm, Outcome o) {
        return String.join(",", arm, o.getModelKey(), Integer.toString(o.getModelVersion()), o.getInstrument(),
                Long.toString(o.getPredictionTimeMs()), Long.toString(o.getResolvedAtMs()),
                String.format(Locale.ROOT, "%.17g", o.getProbability()), Integer.toString(o.getLabel()));
    }

    static void write(Path file, List<String> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            for (String r : rows) {
                w.write(r);
                w.newLine();
            }
        }
    }

    static List<Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(file + " is not a backtest's outcomes.csv (header must be: " + HEADER + ")");
        }
        List<Row> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length != 8) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 8 fields, got " + f.length);
            }
            try {
                rows.add(new Row(f[0], f[1], Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]), Long.parseLong(f[5]),
                        Double.parseDouble(f[6]), Integer.parseInt(f[7])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return rows;
    }
}
