package io.riptide.feed.replay;

/** Number parsing for CSV cells with messages that name the column. */
final class Csv {
    private Csv() {
    }

    static long parseLong(String cell, String column) {
        try {
            return Long.parseLong(cell.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is not an integer: '" + cell + "'");
        }
    }

    static double parseFinite(String cell, String column) {
        double v;
        try {
            v = Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is not a number: '" + cell + "'");
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(column + " is not finite: '" + cell + "'");
        }
        return v;
    }

    static double parsePositive(String cell, String column) {
        double v = parseFinite(cell, column);
        if (v <= 0) {
            throw new IllegalArgumentException(column + " must be > 0, was '" + cell + "'");
        }
        return v;
    }

    static double parseNonNegative(String cell, String column) {
        double v = parseFinite(cell, column);
        if (v < 0) {
            throw new IllegalArgumentException(column + " must be >= 0, was '" + cell + "'");
        }
        return v;
    }
}
