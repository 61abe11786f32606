package io.riptide.feed.replay;

import io.riptide.feed.binance.internal.BookRowListener;
import io.riptide.feed.binance.internal.LocalOrderBook;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes every rebuilt book as one CSV row:
 * {@code event_time_ms,last_update_id,bid_px_1,bid_qty_1,...,bid_px_20,bid_qty_20,ask_px_1,...,ask_qty_20}, with the
 * decimal strings the exchange sent and empty cells where a level is missing.
 */
public final class BookCsvDumper implements BookRowListener, AutoCloseable {
    static final int LEVELS = 20;

    private final Path path;
    private final BufferedWriter out;
    private final StringBuilder row = new StringBuilder(2048);
    private String symbol;
    private long rows;

    public BookCsvDumper(Path path) {
        this.path = path;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new IllegalArgumentException("cannot write " + path + ": folder " + parent + " does not exist");
            }
            this.out = Files.newBufferedWriter(path);
            out.write(header());
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    static String header() {
        StringBuilder h = new StringBuilder("event_time_ms,last_update_id");
        for (String side : new String[]{"bid", "ask"}) {
            for (int i = 1; i <= LEVELS; i++) {
                h.append(',').append(side).append("_px_").append(i).append(',').append(side).append("_qty_").append(i);
            }
        }
        return h.toString();
    }

    @Override
    public void onBook(String symbol, long eventTimeMs, long lastUpdateId, List<LocalOrderBook.Level> bids,
                       List<LocalOrderBook.Level> asks) {
        if (this.symbol == null) {
            this.symbol = symbol;
        } else if (!this.symbol.equals(symbol)) {
            throw new IllegalStateException("book dump " + path + " holds one symbol (" + this.symbol
                    + ") but the replay also rebuilt " + symbol);
        }
        row.setLength(0);
        row.append(eventTimeMs).append(',').append(lastUpdateId);
        appendSide(bids);
        appendSide(asks);
        row.append('\n');
        try {
            out.append(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        rows++;
    }

    private void appendSide(List<LocalOrderBook.Level> levels) {
        for (int i = 0; i < LEVELS; i++) {
            row.append(',');
            if (i < levels.size()) {
                row.append(levels.get(i).priceText()).append(',').append(levels.get(i).qtyText());
            } else {
                row.append(',');
            }
        }
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + path + ": " + e.getMessage(), e);
        }
    }
}
