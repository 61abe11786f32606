package io.riptide.features;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Kline columns as arrays, loaded from test resources or the shared real-data folder. */
public final class Klines {
    public static final String SLICE = "/btcusdt-1m-2021-04-02-slice.csv";
    public static final String BTC_FILE = "binance-klines-2021-04/BTCUSDT-1m-2021-04-02_2021-04-17.csv";
    public static final String ETH_FILE = "binance-klines-2021-04/ETHUSDT-1m-2021-04-02_2021-04-17.csv";

    public final long[] time;
    public final double[] open;
    public final double[] high;
    public final double[] low;
    public final double[] close;
    public final double[] volume;

    private Klines(List<String> lines) {
        int n = lines.size() - 1;
        time = new long[n];
        open = new double[n];
        high = new double[n];
        low = new double[n];
        close = new double[n];
        volume = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            time[i] = Long.parseLong(f[0]);
            open[i] = Double.parseDouble(f[1]);
            high[i] = Double.parseDouble(f[2]);
            low[i] = Double.parseDouble(f[3]);
            close[i] = Double.parseDouble(f[4]);
            volume[i] = Double.parseDouble(f[5]);
        }
    }

    public int size() { return time.length; }

    /** Features after every bar, computed through the public engine exactly as the stream does (as of the bar's close). */
    public double[][] engineFeatures(FeatureSet set) {
        InstrumentFeatureEngine engine = new InstrumentFeatureEngine(set);
        double[][] rows = new double[size()][set.size()];
        for (int i = 0; i < size(); i++) {
            engine.onBar(time[i], open[i], high[i], low[i], close[i], volume[i], Double.NaN, -1, Double.NaN);
            engine.writeFeatures(time[i] + 60_000, rows[i]);
        }
        return rows;
    }

    public static Klines slice() {
        try (InputStream in = Klines.class.getResourceAsStream(SLICE)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Klines(text.lines().filter(l -> !l.isBlank()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path sliceFile() {
        try {
            return Path.of(Klines.class.getResource(SLICE).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file under ../shared/data; the calling test is skipped, with a message, when the folder is absent. */
    public static Path sharedFile(String relative) {
        for (String root : new String[] {"../../shared/data", "../shared/data", "/work/shared/data"}) {
            Path p = Path.of(root, relative);
            if (Files.isReadable(p)) return p;
        }
        Assumptions.abort("real data " + relative + " not found under ../shared/data (fresh clone without ../shared): skipped");
        return null;
    }

    public static Klines load(Path file) {
        try {
            return new Klines(new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)).stream()
                    .filter(l -> !l.isBlank()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
