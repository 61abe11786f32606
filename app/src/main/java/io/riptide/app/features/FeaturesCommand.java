package io.riptide.app.features;

import io.riptide.features.offline.KlineFeatureWriter;
import io.riptide.features.offline.KlineFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code riptide features --klines FILE.csv --out OUT.csv}: offline bar features from a kline CSV, computed by the
 * same engine the stream runs. Exit 0 on success, 1 when the input cannot be used, 2 on bad options (picocli).
 */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Compute bar-based features (TA-Lib indicators, patterns, regime) from a kline CSV.")
public final class FeaturesCommand implements Callable<Integer> {
    @Option(names = "--klines", required = true, paramLabel = "FILE.csv",
            description = "kline CSV with columns open_time_ms,open,high,low,close,volume (optionally vwap,trade_count,taker_buy_volume)")
    Path klines;

    @Option(names = "--out", required = true, paramLabel = "OUT.csv", description = "output CSV: one row per bar, header of feature names")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (!Files.isRegularFile(klines)) {
            stderr.println("features: kline file not found: " + klines);
            return 1;
        }
        KlineFeatureWriter writer = new KlineFeatureWriter();
        try {
            stdout.println("features: reading " + klines + ", writing " + out);
            KlineFeatureWriter.Result r = writer.write(klines, out, rows -> {
                stdout.println("features: " + rows + " bars");
                stdout.flush();
            });
            stdout.println("features: wrote " + r.rowsWritten() + " rows x " + writer.header().size() + " columns to " + out);
            if (r.malformedLines() > 0 || r.outOfOrderLines() > 0) {
                stderr.println("features: skipped " + r.malformedLines() + " malformed and " + r.outOfOrderLines()
                        + " out-of-order line(s), first at line(s) " + r.malformedLineNumbers());
            }
            return r.rowsWritten() > 0 ? 0 : 1;
        } catch (KlineFormatException e) {
            stderr.println("features: " + klines + ": " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            stderr.println("features: cannot write " + out + ": directory does not exist");
            return 1;
        } catch (IOException e) {
            stderr.println("features: I/O error: " + e.getMessage());
            return 1;
        }
    }
}
