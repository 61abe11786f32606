package io.riptide.feed.replay;

import io.riptide.feed.MarketEventSink;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Replays liquidation CSVs with columns {@code timestamp,timestamp_ms,venue,coin,side,size_usd,price} (the shared
 * OKX/Hyperliquid set). Venue quirks: OKX {@code size_usd} counts contracts, so the notional is scaled by the
 * {@link ContractSizes} table; OKX {@code sell} liquidated a long, {@code buy} a short; Hyperliquid's side
 * ({@code S}) is undocumented and becomes UNKNOWN. Instruments: {@code OKX:<COIN>USDT}, {@code HYPERLIQUID:<COIN>USD}.
 */
public final class LiquidationCsvReplay {
    static final String HEADER = "timestamp,timestamp_ms,venue,coin,side,size_usd,price";

    private final Path file;
    private final ContractSizes contractSizes;
    private final double speed;
    private final MalformedLines malformed = new MalformedLines();
    private long emitted;

    public LiquidationCsvReplay(Path file, ContractSizes contractSizes, double speed) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("liquidation file does not exist: " + file);
        }
        this.file = file;
        this.contractSizes = contractSizes;
        this.speed = speed;
    }

    public void run(MarketEventSink sink) throws IOException, InterruptedException {
        ReplayPacer pacer = new ReplayPacer(speed);
        try (BufferedReader r = CaptureReplay.open(file)) {
            String line = r.readLine();
            long lineNumber = 1;
            if (line == null) {
                return;
            }
            if (!line.trim().equals(HEADER)) {
                throw new IllegalArgumentException(file + " does not start with the header '" + HEADER + "'");
            }
            while ((line = r.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Liquidation l;
                try {
                    l = parse(line);
                } catch (IllegalArgumentException e) {
                    malformed.record(file.toString(), lineNumber, e.getMessage());
                    continue;
                }
                pacer.awaitEventTime(l.getExchangeTimeMs());
                sink.onLiquidation(l);
                emitted++;
            }
        }
    }

    private Liquidation parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("expected 7 columns, got " + f.length);
        }
        long timeMs = Csv.parseLong(f[1], "timestamp_ms");
        String venue = f[2].trim().toLowerCase(Locale.ROOT);
        String coin = f[3].trim().toUpperCase(Locale.ROOT);
        if (coin.isEmpty()) {
            throw new IllegalArgumentException("empty coin");
        }
        double sizeUsd = Csv.parsePositive(f[5], "size_usd");
        double price = Csv.parsePositive(f[6], "price");
        String side = f[4].trim();
        return switch (venue) {
            case "okx" -> {
                double ctVal = contractSizes.coinsPerContract(venue, coin).orElseThrow(() ->
                        new IllegalArgumentException("no OKX contract size for " + coin
                                + " (add one with --contract-size okx:" + coin + "=<coins per contract>)"));
                PositionSide positionSide = switch (side) {
                    case "sell" -> PositionSide.LONG;
                    case "buy" -> PositionSide.SHORT;
                    default -> throw new IllegalArgumentException("OKX side must be buy or sell, was '" + side + "'");
                };
                double notional = sizeUsd * ctVal;
                yield new Liquidation("OKX:" + coin + "USDT", timeMs, positionSide, price, notional / price, notional);
            }
            case "hyperliquid" -> new Liquidation("HYPERLIQUID:" + coin + "USD", timeMs, PositionSide.UNKNOWN, price,
                    sizeUsd / price, sizeUsd);
            default -> throw new IllegalArgumentException("unknown venue '" + f[2] + "'");
        };
    }

    public MalformedLines malformed() {
        return malformed;
    }

    public long emitted() {
        return emitted;
    }
}
