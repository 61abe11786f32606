package io.riptide.features;

/** Market regime from the documented rules in docs/FEATURES.md; {@link #code()} is the numeric feature value. */
public enum Regime {
    UNKNOWN(0), TRENDING(1), SIDEWAYS(2), VOLATILE(3), CONSOLIDATION(4);

    private final int code;

    Regime(int code) { this.code = code; }

    public int code() { return code; }

    /** Lower-case name as written in feature vectors and CSV output. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Regime ofCode(double code) {
        for (Regime r : values()) if (r.code == code) return r;
        return UNKNOWN;
    }
}
