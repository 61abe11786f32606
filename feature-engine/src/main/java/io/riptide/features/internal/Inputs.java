package io.riptide.features.internal;

/**
 * Cheap checks on engine input, so one bad record fails loudly (and the caller can dead-letter it) instead of
 * poisoning every recursive indicator with NaN for good. Allocates only when it throws.
 */
public final class Inputs {
    private Inputs() {}

    public static void checkBar(long openTimeMs, double open, double high, double low, double close, double volume) {
        if (!(low > 0) || !(low <= high) || !Double.isFinite(high) || !Double.isFinite(open) || !Double.isFinite(close)
                || !(volume >= 0) || !Double.isFinite(volume)) {
            throw new IllegalArgumentException("bad bar at " + openTimeMs + ": open " + open + " high " + high + " low " + low
                    + " close " + close + " volume " + volume + " (need 0 < low <= high, finite prices, volume >= 0)");
        }
    }

    public static void checkTrade(long timeMs, double price, double qty) {
        if (!(price > 0) || !Double.isFinite(price) || !(qty >= 0) || !Double.isFinite(qty)) {
            throw new IllegalArgumentException("bad trade at " + timeMs + ": price " + price + " qty " + qty
                    + " (need price > 0, qty >= 0, both finite)");
        }
    }
}
