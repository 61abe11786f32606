package io.riptide.topology.internal;

import io.riptide.features.BarAggregator;
import io.riptide.features.InstrumentFeatureEngine;

import java.nio.ByteBuffer;

/**
 * Compact binary form of a market event waiting in the instrument store for the next micro-batch. A few dozen bytes
 * per event, so every event is durable (changelogged) at once while the feature engine itself is updated and
 * snapshotted only once per bar.
 */
public final class BufferedEvent {
    static final byte TRADE = 1;
    static final byte BOOK = 2;
    static final byte LIQUIDATION = 3;

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

    static long timeOf(byte[] event) {
        return ByteBuffer.wrap(event, 1, 8).getLong();
    }

    /** Feeds a buffered event to the feature engine. */
    static void applyTo(byte[] event, InstrumentFeatureEngine engine, BookScratch scratch) {
        ByteBuffer b = ByteBuffer.wrap(event);
        byte type = b.get();
        long time = b.getLong();
        switch (type) {
            case TRADE -> engine.onTrade(time, b.getDouble(), b.getDouble(), b.get() == 1);
            case LIQUIDATION -> engine.onLiquidation(time, b.getInt(), b.getDouble(), b.getDouble(), b.getDouble());
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
                engine.onBook(time, scratch.bidPx, scratch.bidQty, bids, scratch.askPx, scratch.askQty, asks);
            }
            default -> throw new IllegalStateException("unknown buffered event type " + type);
        }
    }

    /** Rebuilds the open bar after a restart: buffered trades are the open bar's trades. */
    static void replayIntoBar(byte[] event, BarAggregator bars) {
        ByteBuffer b = ByteBuffer.wrap(event);
        if (b.get() == TRADE) {
            bars.onTrade(b.getLong(), b.getDouble(), b.getDouble(), b.get() == 1);
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
