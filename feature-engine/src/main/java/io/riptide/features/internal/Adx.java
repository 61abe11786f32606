package io.riptide.features.internal;

/**
 * TA-Lib PLUS_DI, MINUS_DI and ADX in one pass (they share Wilder's sums of +DM, -DM and true range).
 * DI warm after n+1 bars, ADX after 2n bars, both exactly as TA-Lib's lookbacks (n and 2n-1).
 */
public final class Adx implements Stateful {
    private final int n;
    private int bars;
    private double prevHigh;
    private double prevLow;
    private double prevClose;
    private double plusDm;
    private double minusDm;
    private double tr;
    private double sumDx;
    private double plusDi = Double.NaN;
    private double minusDi = Double.NaN;
    private double adx = Double.NaN;

    public Adx(int n) { this.n = n; }

    public void update(double high, double low, double close) {
        bars++;
        if (bars == 1) {
            prevHigh = high;
            prevLow = low;
            prevClose = close;
            return;
        }
        double diffP = high - prevHigh;
        double diffM = prevLow - low;
        double trueRange = TaLib.trueRange(high, low, prevClose);
        prevHigh = high;
        prevLow = low;
        prevClose = close;
        if (bars <= n) {
            // the first n-1 moves are summed without decay, as TA-Lib does
            if (diffM > 0 && diffP < diffM) minusDm += diffM;
            else if (diffP > 0 && diffP > diffM) plusDm += diffP;
            tr += trueRange;
            return;
        }
        minusDm -= minusDm / n;
        plusDm -= plusDm / n;
        if (diffM > 0 && diffP < diffM) minusDm += diffM;
        else if (diffP > 0 && diffP > diffM) plusDm += diffP;
        tr = tr - (tr / n) + trueRange;

        double dx = Double.NaN;
        if (!TaLib.isZero(tr)) {
            minusDi = 100.0 * (minusDm / tr);
            plusDi = 100.0 * (plusDm / tr);
            double sum = minusDi + plusDi;
            if (!TaLib.isZero(sum)) dx = 100.0 * (Math.abs(minusDi - plusDi) / sum);
        } else {
            minusDi = 0.0;
            plusDi = 0.0;
        }
        if (bars < 2 * n) {
            if (!Double.isNaN(dx)) sumDx += dx;
        } else if (bars == 2 * n) {
            if (!Double.isNaN(dx)) sumDx += dx;
            adx = sumDx / n;
        } else if (!Double.isNaN(dx)) {
            adx = ((adx * (n - 1)) + dx) / n;
        }
    }

    public double plusDi() { return plusDi; }

    public double minusDi() { return minusDi; }

    public double adx() { return adx; }

    @Override
    public void write(StateWriter w) {
        w.putInt(bars).putDouble(prevHigh).putDouble(prevLow).putDouble(prevClose).putDouble(plusDm).putDouble(minusDm).putDouble(tr)
                .putDouble(sumDx).putDouble(plusDi).putDouble(minusDi).putDouble(adx);
    }

    @Override
    public void read(StateReader r) {
        bars = r.getInt(); prevHigh = r.getDouble(); prevLow = r.getDouble(); prevClose = r.getDouble(); plusDm = r.getDouble();
        minusDm = r.getDouble(); tr = r.getDouble(); sumDx = r.getDouble(); plusDi = r.getDouble(); minusDi = r.getDouble(); adx = r.getDouble();
    }
}
