package io.riptide.trigger;

/**
 * A parsed model key: {@code liquidation-15m}, {@code liquidation-15m@BINANCE:BTCUSDT} (instrument scope) or
 * {@code liquidation-15m@trending} (regime scope).
 */
public record ModelKey(String key, String task, int horizonMinutes, String instrumentScope, String regimeScope) {

    public static ModelKey parse(String key) {
        String base = key;
        String scope = null;
        int at = key.indexOf('@');
        if (at >= 0) {
            base = key.substring(0, at);
            scope = key.substring(at + 1);
        }
        int dash = base.lastIndexOf('-');
        if (dash <= 0 || !base.endsWith("m")) {
            throw new IllegalArgumentException("model key '" + key + "' is not of the form task-<minutes>m[@scope]");
        }
        int horizon;
        try {
            horizon = Integer.parseInt(base.substring(dash + 1, base.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model key '" + key + "' has no horizon in minutes");
        }
        boolean instrument = scope != null && scope.contains(":");
        return new ModelKey(key, base.substring(0, dash), horizon, instrument ? scope : null,
                scope != null && !instrument ? scope : null);
    }

    public long horizonMs() {
        return horizonMinutes * 60_000L;
    }
}
