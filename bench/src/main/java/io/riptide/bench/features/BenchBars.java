package io.riptide.bench.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real 1-minute bars for the benchmarks: the BTCUSDT klines from ../shared/data (looked up from a few working dirs). */
final class BenchBars {
    static final String FILE = "binance-klines-2021-04/BTCUSDT-1m-2021-04-02_2021-04-17.csv";

    final double[] open;
    final double[] high;
    final double[] low;
    final double[] close;
    final double[] volume;

    private BenchBars(List<String> lines) {
        int n = lines.size() - 1;
        open = new double[n];
        high = new double[n];
        low = new double[n];
        close = new double[n];
        volume = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            open[i] = Double.parseDouble(f[1]);
            high[i] = Double.parseDouble(f[2]);
            low[i] = Double.parseDouble(f[3]);
            close[i] = Double.parseDouble(f[4]);
            volume[i] = Double.parseDouble(f[5]);
        }
    }

    int size() { return close.length; }

    static BenchBars load() {
        for (String root : new String[] {"../shared/data", "../../shared/data", "shared/data"}) {
            Path p = Path.of(root, FILE);
            if (Files.isReadable(p)) {
                try {
                    return new BenchBars(Files.readAllLines(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("benchmark data " + FILE + " not found under ../shared/data: run from the repository root");
    }
}
