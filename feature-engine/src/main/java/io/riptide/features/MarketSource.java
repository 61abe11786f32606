package io.riptide.features;

/**
 * The inputs of one instrument. Declaration order is the order of events stamped with the same millisecond: a book
 * or liquidation at t is applied before a trade at t (the matching trade of a simulated liquidation carries the
 * liquidation's time), and a kline, which stands for everything in its minute, comes last.
 */
public enum MarketSource {
    BOOKS,
    LIQUIDATIONS,
    TRADES,
    KLINES;

    /** Trades and books make an instrument trade-driven (bars built from trades); klines make it bar-driven. */
    public boolean drivesTradeBars() {
        return this == TRADES || this == BOOKS;
    }
}
