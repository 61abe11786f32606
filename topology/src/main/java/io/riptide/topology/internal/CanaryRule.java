package io.riptide.topology.internal;

/**
 * Which instruments a key's shadow serves on the production topics as a canary ({@code stream.canary.share}): those
 * whose stable hash falls below the share. The hash depends on the instrument id alone, so every stream instance,
 * and every restart, picks the same instruments, and raising the share only adds instruments.
 */
final class CanaryRule {
    private CanaryRule() {
    }

    /** Whether the instrument is among the {@code share} (0 to 1) of instruments a canary serves. */
    static boolean serves(String instrument, double share) {
        return share > 0 && position(instrument) < share;
    }

    /** Where the instrument falls in [0, 1): String.hashCode (fixed by the language), mixed so near ids spread. */
    static double position(String instrument) {
        long h = instrument.hashCode() & 0xffffffffL;
        h = (h * 0x9E3779B97F4A7C15L) >>> 11; // Fibonacci hashing: the top 53 bits, well spread
        return h / (double) (1L << 53);
    }
}
