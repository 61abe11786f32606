package io.riptide.topology;

/** Naming of model keys: {@code task-horizon}, optionally scoped by {@code @instrument} or {@code @regime}. */
public final class ModelKeys {
    public static final String LIQUIDATION_TASK = "liquidation";
    /** Pattern success on the triple barrier; the horizon is the time barrier in 1-minute bars. */
    public static final String PATTERN_TASK = "pattern";

    private ModelKeys() {
    }

    public static String liquidation(int horizonMinutes) {
        return LIQUIDATION_TASK + "-" + horizonMinutes + "m";
    }

    public static String pattern(int timeBarrierBars) {
        return PATTERN_TASK + "-" + timeBarrierBars + "m";
    }

    public static String scoped(String baseKey, String scope) {
        return baseKey + "@" + scope;
    }

    /** The horizon of a liquidation key such as {@code liquidation-15m@BINANCE:BTCUSDT}, or -1. */
    public static int horizonOf(String modelKey) {
        String base = modelKey.contains("@") ? modelKey.substring(0, modelKey.indexOf('@')) : modelKey;
        if (!base.startsWith(LIQUIDATION_TASK + "-") || !base.endsWith("m")) {
            return -1;
        }
        try {
            return Integer.parseInt(base.substring(LIQUIDATION_TASK.length() + 1, base.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
