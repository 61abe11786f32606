package io.riptide.topology.internal;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Trade;

import java.util.List;

/**
 * Semantic checks on decoded market records. Each method returns null for a valid record, else the reason it is
 * refused; refused records go to the dead-letter topic with that reason.
 */
public final class MarketRecordValidator {
    public static final int MAX_BOOK_LEVELS = 20;
    /** Longest instrument id ({@code VENUE:SYMBOL}); real ones are under 30 characters. */
    public static final int MAX_INSTRUMENT_LENGTH = 64;
    /** Longest trade id; exchanges use numbers or UUIDs. */
    public static final int MAX_TRADE_ID_LENGTH = 128;

    private MarketRecordValidator() {
    }

    public static String check(Object record) {
        if (record instanceof Trade t) {
            return checkTrade(t);
        }
        if (record instanceof BookSnapshot b) {
            return checkBook(b);
        }
        if (record instanceof Liquidation l) {
            return checkLiquidation(l);
        }
        if (record instanceof Bar k) {
            return checkKline(k);
        }
        return "unexpected record type " + record.getClass().getSimpleName();
    }

    static String checkTrade(Trade t) {
        String common = checkCommon(t.getInstrument(), t.getExchangeTimeMs());
        if (common != null) {
            return common;
        }
        if (!positive(t.getPrice())) {
            return "trade price must be a positive finite number, got " + t.getPrice();
        }
        if (!positive(t.getQty())) {
            return "trade qty must be a positive finite number, got " + t.getQty();
        }
        if (t.getTradeId().length() > MAX_TRADE_ID_LENGTH) {
            return "trade id is " + t.getTradeId().length() + " characters long, more than " + MAX_TRADE_ID_LENGTH;
        }
        return null;
    }

    static String checkBook(BookSnapshot b) {
        String common = checkCommon(b.getInstrument(), b.getExchangeTimeMs());
        if (common != null) {
            return common;
        }
        List<PriceLevel> bids = b.getBids();
        List<PriceLevel> asks = b.getAsks();
        if (bids.isEmpty() || asks.isEmpty()) {
            return "book needs at least one level per side, got " + bids.size() + " bids and " + asks.size() + " asks";
        }
        if (bids.size() > MAX_BOOK_LEVELS || asks.size() > MAX_BOOK_LEVELS) {
            return "book has more than " + MAX_BOOK_LEVELS + " levels per side";
        }
        String sideProblem = checkSide("bid", bids, -1);
        if (sideProblem == null) {
            sideProblem = checkSide("ask", asks, +1);
        }
        if (sideProblem != null) {
            return sideProblem;
        }
        double bestBid = bids.get(0).getPrice();
        double bestAsk = asks.get(0).getPrice();
        if (bestBid >= bestAsk) {
            return "crossed book: best bid " + bestBid + " >= best ask " + bestAsk;
        }
        return null;
    }

    private static String checkSide(String side, List<PriceLevel> levels, int direction) {
        double previous = Double.NaN;
        for (int i = 0; i < levels.size(); i++) {
            PriceLevel level = levels.get(i);
            if (!positive(level.getPrice())) {
                return side + " level " + (i + 1) + " price must be a positive finite number, got " + level.getPrice();
            }
            if (!positive(level.getQty())) {
                return side + " level " + (i + 1) + " qty must be a positive finite number, got " + level.getQty();
            }
            if (i > 0 && Math.signum(level.getPrice() - previous) != direction) {
                return side + " levels must be strictly " + (direction > 0 ? "ascending" : "descending")
                        + " from the best price, level " + (i + 1) + " is " + level.getPrice() + " after " + previous;
            }
            previous = level.getPrice();
        }
        return null;
    }

    static String checkLiquidation(Liquidation l) {
        String common = checkCommon(l.getInstrument(), l.getExchangeTimeMs());
        if (common != null) {
            return common;
        }
        if (!positive(l.getPrice())) {
            return "liquidation price must be a positive finite number, got " + l.getPrice();
        }
        if (!positive(l.getQty())) {
            return "liquidation qty must be a positive finite number, got " + l.getQty();
        }
        if (!(Double.isFinite(l.getNotional()) && l.getNotional() >= 0)) {
            return "liquidation notional must be a finite number >= 0, got " + l.getNotional();
        }
        return null;
    }

    static String checkKline(Bar k) {
        String common = checkCommon(k.getInstrument(), k.getOpenTimeMs());
        if (common != null) {
            return common;
        }
        if (k.getOpenTimeMs() % 60_000 != 0 || k.getCloseTimeMs() != k.getOpenTimeMs() + 60_000) {
            return "kline must cover one whole minute [open, open + 60000), got " + k.getOpenTimeMs() + " to "
                    + k.getCloseTimeMs();
        }
        for (double price : new double[]{k.getOpen(), k.getHigh(), k.getLow(), k.getClose()}) {
            if (!positive(price)) {
                return "kline prices must be positive finite numbers, got " + price;
            }
        }
        if (k.getLow() > k.getHigh() || k.getOpen() > k.getHigh() || k.getClose() > k.getHigh()
                || k.getOpen() < k.getLow() || k.getClose() < k.getLow()) {
            return "kline low " + k.getLow() + " / high " + k.getHigh() + " do not bound open and close";
        }
        if (!(Double.isFinite(k.getVolume()) && k.getVolume() >= 0)) {
            return "kline volume must be a finite number >= 0, got " + k.getVolume();
        }
        return null;
    }

    private static String checkCommon(String instrument, long exchangeTimeMs) {
        if (instrument == null || instrument.isBlank()) {
            return "instrument is empty";
        }
        if (instrument.length() > MAX_INSTRUMENT_LENGTH) {
            return "instrument id is " + instrument.length() + " characters long, more than " + MAX_INSTRUMENT_LENGTH;
        }
        if (exchangeTimeMs <= 0) {
            return "exchange time must be a positive epoch ms, got " + exchangeTimeMs;
        }
        return null;
    }

    private static boolean positive(double value) {
        return Double.isFinite(value) && value > 0;
    }
}
