package io.riptide.feed.replay;

import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BarSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Replays 1-minute kline CSVs ({@code open_time_ms,open,high,low,close,volume}) as {@link Bar}s with source KLINES,
 * delivered through {@link MarketEventSink#onBar}: a kline is an aggregate, never disguised as trades. VWAP, trade
 * count and taker-buy volume are unknown and stay null.
 */
public final class KlineCsvReplay {
    static final String HEADER = "open_time_ms,open,high,low,close,volume";
    private static final long MINUTE = 60_000;

    private final Path file;
    private final String instrument;
    private final double speed;
    private final MalformedLines malformed = new MalformedLines();
    private long emitted;

    /**
     * @param instrument instrument id, or null to derive {@code BINANCE:<SYMBOL>} from a file name such as
     *                   {@code BTCUSDT-1m-2021-04-02_2021-04-17.csv}
     */
    public KlineCsvReplay(Path file, String instrument, double speed) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("kline file does not exist: " + file);
        }
        this.file = file;
        this.instrument = instrument != null ? instrument : instrumentFromName(file);
        this.speed = speed;
    }

    static String instrumentFromName(Path file) {
        String name = file.getFileName().toString();
        int dash = name.indexOf('-');
        String symbol = (dash > 0 ? name.substring(0, dash) : name.replaceFirst("\\..*$", ""))
                .replace("_", "").toUpperCase(Locale.ROOT);
        if (!symbol.matches("[A-Z0-9]{2,20}")) {
            throw new IllegalArgumentException("cannot tell the symbol from kline file name '" + name
                    + "': pass --instrument");
        }
        return "BINANCE:" + symbol;
    }

    public void run(MarketEventSink sink) throws IOException, InterruptedException {
        ReplayPacer pacer = new ReplayPacer(speed);
        try (BufferedReader r = CaptureReplay.open(file)) {
            String line;
            long lineNumber = 0;
            long previousOpen = Long.MIN_VALUE;
            while ((line = r.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.trim().equals(HEADER)) {
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                Bar bar;
                try {
                    bar = parse(line);
                    if (bar.getOpenTimeMs() <= previousOpen) {
                        throw new IllegalArgumentException("open_time_ms " + bar.getOpenTimeMs()
                                + " does not follow the previous " + previousOpen);
                    }
                } catch (IllegalArgumentException e) {
                    malformed.record(file.toString(), lineNumber, e.getMessage());
                    continue;
                }
                previousOpen = bar.getOpenTimeMs();
                pacer.awaitEventTime(bar.getCloseTimeMs());
                sink.onKline(bar);
                emitted++;
            }
        }
    }

    private Bar parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("expected 6 columns (" + HEADER + "), got " + f.length);
        }
        long open = Csv.parseLong(f[0], "open_time_ms");
        if (open % MINUTE != 0) {
            throw new IllegalArgumentException("open_time_ms " + open + " is not on a minute boundary");
        }
        double o = Csv.parsePositive(f[1], "open");
        double h = Csv.parsePositive(f[2], "high");
        double l = Csv.parsePositive(f[3], "low");
        double c = Csv.parsePositive(f[4], "close");
        double v = Csv.parseNonNegative(f[5], "volume");
        if (l > Math.min(o, c) || h < Math.max(o, c)) {
            throw new IllegalArgumentException("low/high do not bracket open/close");
        }
        return Bar.newBuilder().setInstrument(instrument).setOpenTimeMs(open).setCloseTimeMs(open + MINUTE)
                .setOpen(o).setHigh(h).setLow(l).setClose(c).setVolume(v).setVwap(null).setTradeCount(null)
                .setTakerBuyVolume(null).setSource(BarSource.KLINES).build();
    }

    public String instrument() {
        return instrument;
    }

    public MalformedLines malformed() {
        return malformed;
    }

    public long emitted() {
        return emitted;
    }
}
