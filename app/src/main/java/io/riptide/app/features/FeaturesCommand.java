package io.riptide.app.features;

import io.riptide.features.FeatureSets;
import io.riptide.features.offline.KlineFeatureWriter;
import io.riptide.feed.replay.CaptureReplay;
import io.riptide.features.offline.KlineFormatException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code riptide features --klines FILE.csv --out OUT.csv}: offline bar features from a kline CSV, computed by the
 * same engine the stream runs; {@code --capture PATH} instead computes every feature (book, trade flow, liquidations
 * too) from a recorded Binance capture. Exit 0 on success, 1 when the input cannot be used, 2 on bad options.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Compute features offline with the stream's engine: bar features (TA-Lib indicators, patterns,",
                "regime) from a kline CSV, or every feature from a recorded Binance capture."})
public final class FeaturesCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--klines", paramLabel = "FILE.csv",
                description = "kline CSV with columns open_time_ms,open,high,low,close,volume (optionally vwap,trade_count,taker_buy_volume)")
        Path klines;

        @Option(names = "--capture", paramLabel = "PATH",
                description = "Binance websocket capture file or folder (as in ../shared/data/binance-ws-2024-08-08)")
        Path capture;
    }

    @Option(names = "--symbol", paramLabel = "SYMBOL", description = "with --capture: only this symbol, e.g. BTCUSDT")
    String symbol;

    @Option(names = "--out", required = true, paramLabel = "OUT.csv", description = "output CSV: one row per bar, header of feature names")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (input.capture != null) {
            return fromCapture(stdout, stderr);
        }
        Path klines = input.klines;
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

    private int fromCapture(PrintWriter stdout, PrintWriter stderr) {
        if (!Files.exists(input.capture)) {
            stderr.println("features: capture not found: " + input.capture);
            return 1;
        }
        try (Writer writer = Files.newBufferedWriter(out)) {
            CaptureFeatureWriter features = new CaptureFeatureWriter(FeatureSets.all(), writer);
            CaptureReplay replay = new CaptureReplay(List.of(input.capture), symbol, 20, 0, 0, null);
            stdout.println("features: replaying " + input.capture + (symbol == null ? "" : " (" + symbol + ")")
                    + ", writing " + out);
            // the stream's feeds send heartbeats; so does this one, so both close the same bars
            io.riptide.feed.Heartbeats feed = io.riptide.feed.Heartbeats.exact(features,
                    io.riptide.feed.Heartbeats.TRADE_INPUTS);
            replay.run(feed);
            feed.finish();
            replay.summaries().forEach(s -> stdout.println("  " + s));
            stdout.println("features: wrote " + features.rows() + " bars x " + (FeatureSets.all().size() + 4)
                    + " columns to " + out);
            if (replay.malformed().count() > 0) {
                stderr.println("features: skipped " + replay.malformed().count() + " malformed line(s)");
            }
            return features.rows() > 0 ? 0 : 1;
        } catch (NoSuchFileException e) {
            stderr.println("features: cannot write " + out + ": directory does not exist");
            return 1;
        } catch (IOException e) {
            stderr.println("features: I/O error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
