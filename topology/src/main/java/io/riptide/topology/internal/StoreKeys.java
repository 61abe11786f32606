package io.riptide.topology.internal;

/**
 * Store keys sort as strings, so numbers in them are zero-padded to a fixed width. Built without
 * {@code String.format}, which costs more than the rest of a per-event update.
 */
final class StoreKeys {
    private StoreKeys() {
    }

    /** {@code prefix + instrument + "|" + n} with {@code n} (non-negative) zero-padded to {@code width} digits. */
    static String of(String prefix, String instrument, long n, int width) {
        StringBuilder b = new StringBuilder(prefix.length() + instrument.length() + 1 + width);
        b.append(prefix).append(instrument).append('|');
        appendPadded(b, n, width);
        return b.toString();
    }

    static void appendPadded(StringBuilder b, long n, int width) {
        if (n < 0) {
            throw new IllegalArgumentException("store key numbers are non-negative, got " + n);
        }
        String digits = Long.toString(n);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        b.append(digits);
    }

    /** The number after the last '|'. */
    static long lastNumber(String key) {
        return Long.parseLong(key, key.lastIndexOf('|') + 1, key.length(), 10);
    }
}
