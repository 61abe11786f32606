package io.riptide.serving.internal;

/**
 * Numbers in model files, in the syntax the libraries write them and nothing looser: Java's own parsers also
 * take {@code 0x1p3}, {@code 1d}, {@code Infinity} or non-ASCII digits, which the native loaders read
 * differently or not at all, so a file could mean one model here and another there.
 */
final class StrictNumbers {

    private StrictNumbers() {
    }

    /** Bad input quoted in a message, cut so that a message stays one short line. */
    static String excerpt(String s) {
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }

    /** A decimal int (optional sign, ASCII digits) within int range. */
    static int parseInt(String s, String what) {
        long v = parseLong(s, what);
        if (v != (int) v) {
            throw new IllegalArgumentException(what + " value " + excerpt(s) + " is outside int range");
        }
        return (int) v;
    }

    /** An unsigned 32-bit word (LightGBM's category bitsets), as its int bits. */
    static int parseWord(String s, String what) {
        long v = parseLong(s, what);
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(what + " value " + excerpt(s) + " is not a 32-bit word");
        }
        return (int) v;
    }

    private static long parseLong(String s, String what) {
        int start = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (s.length() == start || s.length() - start > 11 || !digits(s, start, s.length())) {
            throw new IllegalArgumentException(what + " value '" + excerpt(s) + "' is not an integer");
        }
        return Long.parseLong(s);
    }

    /**
     * A decimal number ({@code -1.25}, {@code 1.0000000180025095e-35}, {@code 5E-1}) or LightGBM's {@code inf},
     * {@code -inf}, {@code nan}.
     */
    static double parseDouble(String s, String what) {
        switch (s) {
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
            case "-nan":
                return Double.NaN;
            default:
                if (!decimal(s)) {
                    throw new IllegalArgumentException(what + " value '" + excerpt(s) + "' is not a number");
                }
                return Double.parseDouble(s);
        }
    }

    private static boolean decimal(String s) {
        int k = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        int mantissa = k;
        while (k < s.length() && isDigit(s.charAt(k))) {
            k++;
        }
        int intDigits = k - mantissa;
        int fractionDigits = 0;
        if (k < s.length() && s.charAt(k) == '.') {
            int f = ++k;
            while (k < s.length() && isDigit(s.charAt(k))) {
                k++;
            }
            fractionDigits = k - f;
        }
        if (intDigits + fractionDigits == 0) {
            return false;
        }
        if (k < s.length() && (s.charAt(k) == 'e' || s.charAt(k) == 'E')) {
            k++;
            if (k < s.length() && (s.charAt(k) == '-' || s.charAt(k) == '+')) {
                k++;
            }
            int e = k;
            while (k < s.length() && isDigit(s.charAt(k))) {
                k++;
            }
            if (k == e) {
                return false;
            }
        }
        return k == s.length();
    }

    private static boolean digits(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
