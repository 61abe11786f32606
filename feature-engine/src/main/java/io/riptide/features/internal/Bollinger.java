package io.riptide.features.internal;

/**
 * TA-Lib BBANDS with an SMA middle band and population standard deviation computed, as TA-Lib does, from the
 * running sum of squares minus the squared SMA. %b and bandwidth are derived (TA-Lib has no function for them).
 */
public final class Bollinger implements Stateful {
    private final int n;
    private final double k;
    private final Sma sma;
    private final Ring window;
    private double sumSquares;
    private double middle = Double.NaN;
    private double upper = Double.NaN;
    private double lower = Double.NaN;

    public Bollinger(int n, double k) {
        this.n = n;
        this.k = k;
        this.sma = new Sma(n);
        this.window = new Ring(n);
    }

    public void update(double x) {
        double mid = sma.update(x);
        window.push(x);
        sumSquares += x * x;
        if (!window.isFull()) return;
        double meanSquares = sumSquares / n;
        double oldest = window.oldest();
        sumSquares -= oldest * oldest;
        meanSquares -= mid * mid;
        double sd = TaLib.isZeroOrNeg(meanSquares) ? 0.0 : Math.sqrt(meanSquares);
        double dev = sd * k;
        middle = mid;
        upper = mid + dev;
        lower = mid - dev;
    }

    public double middle() { return middle; }

    public double upper() { return upper; }

    public double lower() { return lower; }

    /** (close - lower) / (upper - lower); 0.5 when the bands have collapsed. */
    public double percentB(double close) {
        double width = upper - lower;
        return width == 0.0 ? 0.5 : (close - lower) / width;
    }

    /** (upper - lower) / middle x 100, in percent of the middle band (ta4j's convention). */
    public double bandwidth() { return (upper - lower) / middle * 100.0; }

    @Override
    public void write(StateWriter w) {
        sma.write(w); window.write(w); w.putDouble(sumSquares).putDouble(middle).putDouble(upper).putDouble(lower);
    }

    @Override
    public void read(StateReader r) {
        sma.read(r); window.read(r); sumSquares = r.getDouble(); middle = r.getDouble(); upper = r.getDouble(); lower = r.getDouble();
    }
}
