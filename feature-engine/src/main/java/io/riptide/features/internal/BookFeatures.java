package io.riptide.features.internal;

import java.util.List;

/**
 * Order-book features from top-N snapshots (N up to 20, best level first). Level features are computed once per
 * book update and cached; order-flow imbalance and update intensity are summed per second and windowed as of the
 * query time. Allocation-free: the median for liquidity walls sorts into a preallocated scratch array.
 */
public final class BookFeatures implements Stateful {

    public static final List<String> NAMES = List.of(
            "spread", "spread_bps", "mid", "microprice", "size_weighted_mid_5",
            "imbalance_1", "imbalance_5", "imbalance_10", "imbalance_20",
            "depth_bid_10bps", "depth_ask_10bps", "depth_bid_50bps", "depth_ask_50bps",
            "book_slope_bid_10", "book_slope_ask_10", "bid_wall_distance_bps", "ask_wall_distance_bps",
            "depth_pressure_20", "ofi_10s", "ofi_60s", "book_updates_per_s_10s");

    public static final int MAX_LEVELS = 20;
    /** A level is a wall when its size exceeds this multiple of the median level size (both sides, top 20). */
    public static final double WALL_MULTIPLE = 5.0;

    private static final int OFI = 0;
    private static final int UPDATES = 1;

    private final double[] cached = new double[NAMES.size() - 3];
    private final double[] scratch = new double[2 * MAX_LEVELS];
    private final SecondBuckets buckets = new SecondBuckets(64, 2);
    private long updates;
    private double prevBidPx;
    private double prevBidQty;
    private double prevAskPx;
    private double prevAskQty;

    public void onBook(long timeMs, double[] bidPx, double[] bidQty, int bidLevels,
                       double[] askPx, double[] askQty, int askLevels) {
        int nb = Math.min(bidLevels, MAX_LEVELS);
        int na = Math.min(askLevels, MAX_LEVELS);
        if (nb < 1 || na < 1) throw new IllegalArgumentException("book update needs at least one bid and one ask level, got "
                + bidLevels + " bids and " + askLevels + " asks");
        if (bidPx.length < nb || bidQty.length < nb || askPx.length < na || askQty.length < na) {
            throw new IllegalArgumentException("book update at " + timeMs + " claims " + nb + "/" + na
                    + " levels but its arrays are shorter");
        }
        if (!(bidPx[0] > 0) || !(askPx[0] > 0) || !Double.isFinite(bidPx[0]) || !Double.isFinite(askPx[0])) {
            throw new IllegalArgumentException("book update at " + timeMs + ": best bid " + bidPx[0] + ", best ask " + askPx[0]
                    + " (need positive finite prices)");
        }
        double b = bidPx[0];
        double a = askPx[0];
        double qb = bidQty[0];
        double qa = askQty[0];
        double mid = (a + b) / 2;
        double[] c = cached;
        c[0] = a - b;
        c[1] = (a - b) / mid * 1e4;
        c[2] = mid;
        double top = qb + qa;
        c[3] = top > 0 ? (b * qa + a * qb) / top : mid;
        c[4] = sizeWeightedMid(bidPx, bidQty, nb, askPx, askQty, na, 5, mid);
        c[5] = imbalance(bidQty, nb, askQty, na, 1);
        c[6] = imbalance(bidQty, nb, askQty, na, 5);
        c[7] = imbalance(bidQty, nb, askQty, na, 10);
        c[8] = imbalance(bidQty, nb, askQty, na, 20);
        c[9] = depthWithin(bidPx, bidQty, nb, mid, 10);
        c[10] = depthWithin(askPx, askQty, na, mid, 10);
        c[11] = depthWithin(bidPx, bidQty, nb, mid, 50);
        c[12] = depthWithin(askPx, askQty, na, mid, 50);
        c[13] = slope(bidPx, bidQty, nb, mid, 10);
        c[14] = slope(askPx, askQty, na, mid, 10);
        double median = medianSize(bidQty, nb, askQty, na);
        c[15] = wallDistance(bidPx, bidQty, nb, mid, median);
        c[16] = wallDistance(askPx, askQty, na, mid, median);
        c[17] = pressure(bidPx, bidQty, nb, askPx, askQty, na, mid);

        int slot = buckets.slot(timeMs);
        if (slot >= 0) {
            buckets.add(slot, UPDATES, 1);
            if (updates > 0) buckets.add(slot, OFI, ofiEvent(b, qb, a, qa));
        }
        prevBidPx = b;
        prevBidQty = qb;
        prevAskPx = a;
        prevAskQty = qa;
        updates++;
    }

    /** Cont, Kukanov & Stoikov (2014) e_n for one best-level change. */
    private double ofiEvent(double b, double qb, double a, double qa) {
        double e = 0;
        if (b >= prevBidPx) e += qb;
        if (b <= prevBidPx) e -= prevBidQty;
        if (a <= prevAskPx) e -= qa;
        if (a >= prevAskPx) e += prevAskQty;
        return e;
    }

    private static double sizeWeightedMid(double[] bp, double[] bq, int nb, double[] ap, double[] aq, int na, int levels, double mid) {
        double bn = 0, bv = 0, an = 0, av = 0;
        for (int i = 0; i < Math.min(nb, levels); i++) {
            bn += bp[i] * bq[i];
            bv += bq[i];
        }
        for (int i = 0; i < Math.min(na, levels); i++) {
            an += ap[i] * aq[i];
            av += aq[i];
        }
        if (bv <= 0 || av <= 0) return mid;
        return (bn / bv + an / av) / 2;
    }

    private static double imbalance(double[] bq, int nb, double[] aq, int na, int levels) {
        double sb = 0, sa = 0;
        for (int i = 0; i < Math.min(nb, levels); i++) sb += bq[i];
        for (int i = 0; i < Math.min(na, levels); i++) sa += aq[i];
        double t = sb + sa;
        return t > 0 ? (sb - sa) / t : 0.0;
    }

    private static double distanceBps(double px, double mid) { return Math.abs(px - mid) / mid * 1e4; }

    private static double depthWithin(double[] px, double[] qty, int n, double mid, double bps) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            if (distanceBps(px[i], mid) > bps) break;
            s += qty[i];
        }
        return s;
    }

    /** Cumulative size over the first {@code levels} levels per basis point of distance from mid to the last of them. */
    private static double slope(double[] px, double[] qty, int n, double mid, int levels) {
        int k = Math.min(n, levels);
        double s = 0;
        for (int i = 0; i < k; i++) s += qty[i];
        double d = distanceBps(px[k - 1], mid);
        return d > 0 ? s / d : Double.NaN;
    }

    private double medianSize(double[] bq, int nb, double[] aq, int na) {
        int m = 0;
        for (int i = 0; i < nb; i++) scratch[m++] = bq[i];
        for (int i = 0; i < na; i++) scratch[m++] = aq[i];
        for (int i = 1; i < m; i++) {
            double v = scratch[i];
            int j = i - 1;
            while (j >= 0 && scratch[j] > v) {
                scratch[j + 1] = scratch[j];
                j--;
            }
            scratch[j + 1] = v;
        }
        return (m & 1) == 1 ? scratch[m / 2] : (scratch[m / 2 - 1] + scratch[m / 2]) / 2;
    }

    /** Distance in bps from mid to the nearest level larger than WALL_MULTIPLE x median; NaN when there is none. */
    private static double wallDistance(double[] px, double[] qty, int n, double mid, double median) {
        for (int i = 0; i < n; i++) {
            if (qty[i] > WALL_MULTIPLE * median) return distanceBps(px[i], mid);
        }
        return Double.NaN;
    }

    /** Distance-weighted depth balance in [-1, 1]: sum of size/(1 + distance bps), bids minus asks over both. */
    private static double pressure(double[] bp, double[] bq, int nb, double[] ap, double[] aq, int na, double mid) {
        double wb = 0, wa = 0;
        for (int i = 0; i < nb; i++) wb += bq[i] / (1 + distanceBps(bp[i], mid));
        for (int i = 0; i < na; i++) wa += aq[i] / (1 + distanceBps(ap[i], mid));
        double t = wb + wa;
        return t > 0 ? (wb - wa) / t : 0.0;
    }

    public long updates() { return updates; }

    public long lateUpdates() { return buckets.late(); }

    public void write(long asOfMs, double[] dst, int off) {
        if (updates == 0) {
            for (int i = 0; i < NAMES.size(); i++) dst[off + i] = Double.NaN;
            return;
        }
        System.arraycopy(cached, 0, dst, off, cached.length);
        int w = off + cached.length;
        dst[w] = buckets.sum(OFI, asOfMs, 10);
        dst[w + 1] = buckets.sum(OFI, asOfMs, 60);
        dst[w + 2] = buckets.sum(UPDATES, asOfMs, 10) / 10.0;
    }

    @Override
    public void write(StateWriter w) {
        w.putDoubles(cached); buckets.write(w);
        w.putLong(updates).putDouble(prevBidPx).putDouble(prevBidQty).putDouble(prevAskPx).putDouble(prevAskQty);
    }

    @Override
    public void read(StateReader r) {
        r.getDoubles(cached); buckets.read(r);
        updates = r.getLong(); prevBidPx = r.getDouble(); prevBidQty = r.getDouble(); prevAskPx = r.getDouble(); prevAskQty = r.getDouble();
    }
}
