package io.riptide.features.internal;

/** TA-Lib's numeric conventions (Java port 0.4.0), kept in one place so every indicator agrees. */
public final class TaLib {
    private TaLib() {}

    /** TA-Lib's {@code TA_IS_ZERO}: |x| below 1e-8. */
    public static boolean isZero(double x) { return -1e-8 < x && x < 1e-8; }

    /** TA-Lib's {@code TA_IS_ZERO_OR_NEG}. */
    public static boolean isZeroOrNeg(double x) { return x < 1e-8; }

    /** TA-Lib's {@code PER_TO_K}: the EMA smoothing factor for a period. */
    public static double perToK(int period) { return 2.0 / (period + 1); }

    /** TA-Lib's {@code TRUE_RANGE}, in its operation order. */
    public static double trueRange(double high, double low, double prevClose) {
        double greatest = high - low;
        double v2 = Math.abs(prevClose - high);
        if (v2 > greatest) greatest = v2;
        double v3 = Math.abs(low - prevClose);
        if (v3 > greatest) greatest = v3;
        return greatest;
    }
}
