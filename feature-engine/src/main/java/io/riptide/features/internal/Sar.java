package io.riptide.features.internal;

/**
 * TA-Lib SAR (Parabolic SAR). The initial direction comes from the -DM of the first two bars, as in TA-Lib;
 * the value reported on a bar is the stop in force during that bar. Warm from the second bar.
 */
public final class Sar implements Stateful {
    private final double accel;
    private final double maxAccel;
    private int bars;
    private boolean isLong;
    private double af;
    private double ep;
    private double sar;
    private double prevBarHigh;
    private double prevBarLow;
    private double value = Double.NaN;

    public Sar(double accel, double maxAccel) {
        this.maxAccel = maxAccel;
        this.accel = Math.min(accel, maxAccel);
    }

    public double update(double high, double low) {
        bars++;
        double prevHigh;
        double prevLow;
        if (bars == 1) {
            prevBarHigh = high;
            prevBarLow = low;
            return value;
        } else if (bars == 2) {
            double diffP = high - prevBarHigh;
            double diffM = prevBarLow - low;
            boolean minusDm = diffM > 0 && diffP < diffM;
            isLong = !minusDm;
            af = accel;
            if (isLong) {
                ep = high;
                sar = prevBarLow;
            } else {
                ep = low;
                sar = prevBarHigh;
            }
            // TA-Lib treats the second bar as its own predecessor on the first step
            prevHigh = high;
            prevLow = low;
        } else {
            prevHigh = prevBarHigh;
            prevLow = prevBarLow;
        }
        prevBarHigh = high;
        prevBarLow = low;
        if (isLong) {
            if (low <= sar) {
                isLong = false;
                sar = ep;
                if (sar < prevHigh) sar = prevHigh;
                if (sar < high) sar = high;
                value = sar;
                af = accel;
                ep = low;
                sar = sar + af * (ep - sar);
                if (sar < prevHigh) sar = prevHigh;
                if (sar < high) sar = high;
            } else {
                value = sar;
                if (high > ep) {
                    ep = high;
                    af += accel;
                    if (af > maxAccel) af = maxAccel;
                }
                sar = sar + af * (ep - sar);
                if (sar > prevLow) sar = prevLow;
                if (sar > low) sar = low;
            }
        } else {
            if (high >= sar) {
                isLong = true;
                sar = ep;
                if (sar > prevLow) sar = prevLow;
                if (sar > low) sar = low;
                value = sar;
                af = accel;
                ep = high;
                sar = sar + af * (ep - sar);
                if (sar > prevLow) sar = prevLow;
                if (sar > low) sar = low;
            } else {
                value = sar;
                if (low < ep) {
                    ep = low;
                    af += accel;
                    if (af > maxAccel) af = maxAccel;
                }
                sar = sar + af * (ep - sar);
                if (sar < prevHigh) sar = prevHigh;
                if (sar < high) sar = high;
            }
        }
        return value;
    }

    public double value() { return value; }

    @Override
    public void write(StateWriter w) {
        w.putInt(bars).putBoolean(isLong).putDouble(af).putDouble(ep).putDouble(sar).putDouble(prevBarHigh).putDouble(prevBarLow).putDouble(value);
    }

    @Override
    public void read(StateReader r) {
        bars = r.getInt(); isLong = r.getBoolean(); af = r.getDouble(); ep = r.getDouble(); sar = r.getDouble();
        prevBarHigh = r.getDouble(); prevBarLow = r.getDouble(); value = r.getDouble();
    }
}
