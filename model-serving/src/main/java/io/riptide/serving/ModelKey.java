package io.riptide.serving;

import java.util.Objects;

/**
 * The one grammar of a model key: {@code <task>-<horizon>m}, optionally scoped by {@code @<scope>}. A scope with a
 * colon is an instrument ({@code liquidation-15m@BINANCE:BTCUSDT}); any other is a regime
 * ({@code pattern-30m@trending}). The task is a lower-case word ({@link #LIQUIDATION}, {@link #PATTERN}); the
 * horizon is in minutes: the label window of liquidation risk, the time barrier (1-minute bars) of a pattern.
 *
 * @param instrumentScope the instrument a scoped key serves, or null
 * @param regimeScope     the regime a scoped key serves, or null
 */
public record ModelKey(String task, int horizonMinutes, String instrumentScope, String regimeScope) {
    public static final String LIQUIDATION = "liquidation";
    public static final String PATTERN = "pattern";

    public ModelKey {
        Objects.requireNonNull(task, "task");
        if (!isWord(task)) {
            throw new IllegalArgumentException("model key task '" + task + "' is not a lower-case word");
        }
        if (horizonMinutes < 1) {
            throw new IllegalArgumentException("model key horizon must be at least 1 minute, got " + horizonMinutes);
        }
        if (instrumentScope != null && regimeScope != null) {
            throw new IllegalArgumentException("a model key has one scope, not an instrument and a regime");
        }
        if (instrumentScope != null && (instrumentScope.isEmpty() || !instrumentScope.contains(":"))) {
            throw new IllegalArgumentException("instrument scope '" + instrumentScope + "' is not VENUE:SYMBOL");
        }
        if (regimeScope != null && (regimeScope.isEmpty() || regimeScope.contains(":") || regimeScope.contains("@"))) {
            throw new IllegalArgumentException("regime scope '" + regimeScope + "' is not a regime name");
        }
    }

    private static boolean isWord(String s) {
        if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    public static ModelKey of(String task, int horizonMinutes) {
        return new ModelKey(task, horizonMinutes, null, null);
    }

    public static ModelKey liquidation(int horizonMinutes) {
        return of(LIQUIDATION, horizonMinutes);
    }

    /** A pattern model's key: the time barrier of its signals, in 1-minute bars. */
    public static ModelKey pattern(int timeBarrierBars) {
        return of(PATTERN, timeBarrierBars);
    }

    /**
     * Parses {@code task-<minutes>m[@scope]}.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static ModelKey parse(String key) {
        Objects.requireNonNull(key, "model key");
        String base = key;
        String scope = null;
        int at = key.indexOf('@');
        if (at >= 0) {
            base = key.substring(0, at);
            scope = key.substring(at + 1);
            if (scope.isEmpty()) {
                throw new IllegalArgumentException("model key '" + key + "' has an empty scope after '@'");
            }
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
        try {
            return of(base.substring(0, dash), horizon).scopedTo(scope);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model key '" + key + "': " + e.getMessage());
        }
    }

    /** This key's base scoped to an instrument (a scope with a colon) or a regime; the base for null or empty. */
    public ModelKey scopedTo(String scope) {
        if (scope == null || scope.isEmpty()) {
            return base();
        }
        return scope.contains(":") ? new ModelKey(task, horizonMinutes, scope, null)
                : new ModelKey(task, horizonMinutes, null, scope);
    }

    /** The unscoped key, e.g. {@code liquidation-15m} for {@code liquidation-15m@BINANCE:BTCUSDT}. */
    public ModelKey base() {
        return instrumentScope == null && regimeScope == null ? this : of(task, horizonMinutes);
    }

    public boolean isScoped() {
        return instrumentScope != null || regimeScope != null;
    }

    /** Where this key sits in the fallback chain: {@link ModelSelector#LEVEL_INSTRUMENT}, REGIME or GLOBAL. */
    public int fallbackLevel() {
        if (instrumentScope != null) {
            return ModelSelector.LEVEL_INSTRUMENT;
        }
        return regimeScope != null ? ModelSelector.LEVEL_REGIME : ModelSelector.LEVEL_GLOBAL;
    }

    public long horizonMs() {
        return horizonMinutes * 60_000L;
    }

    /** The key as written: {@code task-<minutes>m[@scope]}. */
    public String key() {
        String base = task + "-" + horizonMinutes + "m";
        String scope = instrumentScope != null ? instrumentScope : regimeScope;
        return scope == null ? base : base + "@" + scope;
    }

    @Override
    public String toString() {
        return key();
    }
}
