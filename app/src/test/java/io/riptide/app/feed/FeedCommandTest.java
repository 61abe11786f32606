package io.riptide.app.feed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedCommandTest {
    /** The real capture slice kept in market-feed's test resources (tests run from the app folder). */
    private static final Path CAPTURE_SLICE = Path.of("../market-feed/src/test/resources/binance-capture/spot");
    private static final Path KLINES_SLICE =
            Path.of("../market-feed/src/test/resources/klines/BTCUSDT-1m-2021-04-02.csv");
    private static final Path LIQUIDATIONS_SLICE =
            Path.of("../market-feed/src/test/resources/liquidations/liquidations-slice.csv");

    @TempDir
    Path temp;

    record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FeedCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertOneLineError(Result r, String expectedStart) {
        assertEquals(2, r.exitCode(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + r.err());
        assertTrue(lines.get(0).startsWith(expectedStart), lines.get(0));
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void simulateDryRunProducesTheSimulatedMarket() {
        Result r = run("simulate", "--dry-run", "--seed", "7", "--start", "2024-08-08T00:00:00Z", "--duration", "10m");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("simulating [SIM:BTCUSDT, SIM:ETHUSDT, SIM:SOLUSDT] from 2024-08-08T00:00:00Z"), r.out());
        // 10 minutes, 3 instruments, a book every 2 s
        assertTrue(r.out().contains(" 900 books, "), r.out());
        assertTrue(r.out().contains("(dry run, nothing sent)"), r.out());
    }

    @Test
    void replayOfTheCaptureSliceRebuildsTheBookAndDumpsIt() throws Exception {
        Path csv = temp.resolve("books.csv");
        Result r = run("replay", "--dry-run", "--capture", CAPTURE_SLICE.toString(), "--dump-books", csv.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("BINANCE:BTCUSDT: "), r.out());
        assertTrue(r.out().contains(" 0 gaps, "), r.out());
        assertTrue(r.out().contains("518 trades"), r.out());
        List<String> rows = Files.readAllLines(csv);
        assertTrue(rows.get(0).startsWith("event_time_ms,last_update_id,bid_px_1,bid_qty_1,"));
        assertTrue(rows.size() > 200, "one row per applied diff: " + rows.size());
    }

    @Test
    void klinesReplayAsBarsAndLiquidationsReportUnknownContractSizes() {
        Result r = run("replay", "--dry-run", "--klines", KLINES_SLICE.toString(), "--liquidations",
                LIQUIDATIONS_SLICE.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("klines BINANCE:BTCUSDT: 120 bars"), r.out());
        assertTrue(r.out().contains("0 trades, 0 books, 60 liquidations, 120 bars"), r.out());
        assertTrue(r.out().contains("liquidations: 10 malformed lines skipped; first:"), r.out());
        assertTrue(r.out().contains("no OKX contract size for HYPE"), r.out());

        Result configured = run("replay", "--dry-run", "--liquidations", LIQUIDATIONS_SLICE.toString(),
                "--contract-size", "okx:HYPE=0.1");
        assertTrue(configured.out().contains("70 liquidations"), configured.out());
    }

    @Test
    void badPathsAreOneLineErrorsWithExitCodeTwo() {
        assertOneLineError(run("replay", "--dry-run", "--capture", temp.resolve("missing").toString()),
                "riptide feed replay: error: capture path does not exist: ");
        assertOneLineError(run("replay", "--dry-run", "--klines", temp.resolve("k.csv").toString()),
                "riptide feed replay: error: kline file does not exist: ");
        assertOneLineError(run("replay", "--dry-run"),
                "riptide feed replay: error: nothing to replay: give --capture, --klines or --liquidations");
        assertOneLineError(run("replay", "--dry-run", "--capture", CAPTURE_SLICE.toString(), "--dump-books",
                temp.resolve("no/such/dir/books.csv").toString()), "riptide feed replay: error: cannot write ");
        assertOneLineError(run("replay", "--dry-run", "--liquidations", LIQUIDATIONS_SLICE.toString(),
                "--contract-size", "okx=1"), "riptide feed replay: error: contract size 'okx=1' is not venue:COIN=size");
    }

    @Test
    void badSymbolsAndUnreachableEndpointsAreOneLineErrors() throws Exception {
        assertOneLineError(run("binance", "--dry-run", "--symbols", "BTC-USDT"),
                "riptide feed binance: error: bad symbol 'BTC-USDT'");
        assertOneLineError(run("binance", "--dry-run", "--market", "options", "--symbols", "BTCUSDT"),
                "riptide feed binance: error: unknown Binance market 'options' (expected spot or usdm)");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertOneLineError(run("binance", "--dry-run", "--symbols", "BTCUSDT", "--max-failures", "1",
                        "--ws-url", "ws://127.0.0.1:" + closedPort, "--rest-url", "http://127.0.0.1:" + closedPort),
                "riptide feed binance: error: cannot reach http://127.0.0.1:" + closedPort + ": connection refused");
    }

    @Test
    void withoutKafkaSettingsTheCommandSaysWhatIsMissing() {
        Result r = run("simulate", "--bootstrap-servers", "", "--duration", "1m");
        assertOneLineError(r, "riptide feed simulate: error: no Kafka bootstrap servers: pass --bootstrap-servers");
    }

    @Test
    void badDurationsAreOneLineErrors() {
        assertOneLineError(run("simulate", "--dry-run", "--duration", "soon"),
                "riptide feed simulate: error: --duration 'soon' is not a duration (e.g. 90s, 15m, 8h, PT2H)");
    }
}
