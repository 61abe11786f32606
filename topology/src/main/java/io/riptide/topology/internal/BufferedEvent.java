package io.riptide.topology.internal;

import io.riptide.features.InstrumentTimeline;
import io.riptide.features.MarketSource;

import java.nio.ByteBuffer;

/**
 * Compact binary form of a market event (or a feed's heartbeat) of one instrument, as the merger buffers it and the
 * market store journals it: a type byte, the event time, then the event's fields (26 bytes for a trade, 657 for a
 * 20-level book).
 */
public final class BufferedEvent {
    static final byte TRADE = 1;
    static final byte BOOK = 2;
    static final byte LIQUIDATION = 3;
    static final byte KLINE = 4;
    static final byte HEARTBEAT = 5;

    private BufferedEvent() {
    }

    public static byte[] trade(long timeMs, double price, double qty, boolean aggressorBuy) {
        return ByteBuffer.allocate(1 + 8 + 8 + 8 + 1).put(TRADE).putLong(timeMs).putDouble(price).putDouble(qty)
                .put((byte) (aggressorBuy ? 1 : 0)).array();
    }

    static byte[] liquidation(long timeMs, int side, double price, double qty, double notional) {
        return ByteBuffer.allocate(1 + 8 + 4 + 8 * 3).put(LIQUIDATION).putLong(timeMs).putInt(side)
                .putDouble(price).putDouble(qty).putDouble(notional).array();
    }

    static byte[] book(long timeMs, double[] bidPx, double[] bidQty, int bids, double[] askPx, double[] askQty,
                       int asks) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 4 + 16 * (bids + asks)).put(BOOK).putLong(timeMs)
                .putInt(bids).putInt(asks);
        for (int i = 0; i < bids; i++) {
            b.putDouble(bidPx[i]).putDouble(bidQty[i]);
        }
        for (int i = 0; i < asks; i++) {
            b.putDouble(askPx[i]).putDouble(askQty[i]);
        }
        return b.array();
    }

    /** A kline stands at the last millisecond of its minute ({@link InstrumentTimeline#klineTimeMs}). */
    static byte[] kline(long openTimeMs, double open, double high, double low, double close, double volume,
                        double vwap, int tradeCount, double takerBuyVolume) {
        return ByteBuffer.allocate(1 + 8 + 8 + 8 * 6 + 4 + 8).put(KLINE)
                .putLong(InstrumentTimeline.klineTimeMs(openTimeMs)).putLong(openTimeMs).putDouble(open)
                .putDouble(high).putDouble(low).putDouble(close).putDouble(volume).putDouble(vwap).putInt(tradeCount)
                .putDouble(takerBuyVolume).array();
    }

    static byte[] heartbeat(MarketSource source, long timeMs) {
        return ByteBuffer.allocate(1 + 8 + 1).put(HEARTBEAT).putLong(timeMs).put((byte) source.ordinal()).array();
    }

    static long timeOf(byte[] event) {
        return ByteBuffer.wrap(event, 1, 8).getLong();
    }

    static boolean isHeartbeat(byte[] event) {
        return event[0] == HEARTBEAT;
    }

    /** The source an event (or heartbeat) belongs to. */
    static MarketSource sourceOf(byte[] event) {
        return switch (event[0]) {
            case TRADE -> MarketSource.TRADES;
            case BOOK -> MarketSource.BOOKS;
            case LIQUIDATION -> MarketSource.LIQUIDATIONS;
            case KLINE -> MarketSource.KLINES;
            case HEARTBEAT -> MarketSource.values()[event[9]];
            default -> throw new IllegalStateException("unknown buffered event type " + event[0]);
        };
    }

    /** The notional of a liquidation event. */
    static double liquidationNotional(byte[] event) {
        return ByteBuffer.wrap(event, 1 + 8 + 4 + 16, 8).getDouble();
    }

    /** Feeds a released event to the instrument's timeline (which closes bars as event time reaches their end). */
    static void applyTo(byte[] event, InstrumentTimeline timeline, BookScratch scratch,
                        InstrumentTimeline.BarListener listener) {
        ByteBuffer b = ByteBuffer.wrap(event);
        byte type = b.get();
        long time = b.getLong();
        switch (type) {
            case TRADE -> timeline.onTrade(time, b.getDouble(), b.getDouble(), b.get() == 1, listener);
            case LIQUIDATION -> timeline.onLiquidation(time, b.getInt(), b.getDouble(), b.getDouble(), b.getDouble(),
                    listener);
            case BOOK -> {
                int bids = b.getInt();
                int asks = b.getInt();
                for (int i = 0; i < bids; i++) {
                    scratch.bidPx[i] = b.getDouble();
                    scratch.bidQty[i] = b.getDouble();
                }
                for (int i = 0; i < asks; i++) {
                    scratch.askPx[i] = b.getDouble();
                    scratch.askQty[i] = b.getDouble();
                }
                timeline.onBook(time, scratch.bidPx, scratch.bidQty, bids, scratch.askPx, scratch.askQty, asks,
                        listener);
            }
            case KLINE -> timeline.onKline(b.getLong(), b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble(),
                    b.getDouble(), b.getDouble(), b.getInt(), b.getDouble(), listener);
            default -> throw new IllegalStateException("buffered event type " + type + " is not an event");
        }
    }

    /** Reusable arrays for decoding books without allocation. */
    static final class BookScratch {
        final double[] bidPx = new double[MarketRecordValidator.MAX_BOOK_LEVELS];
        final double[] bidQty = new double[MarketRecordValidator.MAX_BOOK_LEVELS];
        final double[] askPx = new double[MarketRecordValidator.MAX_BOOK_LEVELS];
        final double[] askQty = new double[MarketRecordValidator.MAX_BOOK_LEVELS];
    }
}
