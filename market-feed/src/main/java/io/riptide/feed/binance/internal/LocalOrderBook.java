package io.riptide.feed.binance.internal;

import io.riptide.schemas.avro.PriceLevel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One side-by-side price ladder as Binance describes it: levels keyed by price, a quantity of zero deletes a level.
 * Prices and quantities keep the decimal strings the exchange sent, for dumps that must match the wire exactly.
 */
public final class LocalOrderBook {

    /** One resting level: the exchange's strings and the parsed numbers. */
    public record Level(String priceText, String qtyText, double price, double qty) {
    }

    private final TreeMap<Double, Level> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Double, Level> asks = new TreeMap<>();

    public void clear() {
        bids.clear();
        asks.clear();
    }

    public void applyBid(String priceText, String qtyText) {
        apply(bids, priceText, qtyText);
    }

    public void applyAsk(String priceText, String qtyText) {
        apply(asks, priceText, qtyText);
    }

    private static void apply(TreeMap<Double, Level> side, String priceText, String qtyText) {
        double price = parse(priceText, "price");
        double qty = parse(qtyText, "quantity");
        if (qty == 0) {
            side.remove(price);
        } else {
            side.put(price, new Level(priceText, qtyText, price, qty));
        }
    }

    private static double parse(String text, String what) {
        try {
            double v = Double.parseDouble(text);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("negative or non-finite " + what + " '" + text + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unparseable " + what + " '" + text + "'", e);
        }
    }

    public boolean isEmpty() {
        return bids.isEmpty() || asks.isEmpty();
    }

    /** Best bid or null. */
    public Level bestBid() {
        Map.Entry<Double, Level> e = bids.firstEntry();
        return e == null ? null : e.getValue();
    }

    public Level bestAsk() {
        Map.Entry<Double, Level> e = asks.firstEntry();
        return e == null ? null : e.getValue();
    }

    /** True when the best bid is at or above the best ask: a book that went wrong. */
    public boolean isCrossed() {
        Level b = bestBid();
        Level a = bestAsk();
        return b != null && a != null && b.price() >= a.price();
    }

    public int bidCount() {
        return bids.size();
    }

    public int askCount() {
        return asks.size();
    }

    /** Up to {@code n} best bids, best first. */
    public List<Level> topBids(int n) {
        return top(bids, n);
    }

    public List<Level> topAsks(int n) {
        return top(asks, n);
    }

    public List<PriceLevel> topBidLevels(int n) {
        return toPriceLevels(topBids(n));
    }

    public List<PriceLevel> topAskLevels(int n) {
        return toPriceLevels(topAsks(n));
    }

    private static List<Level> top(TreeMap<Double, Level> side, int n) {
        List<Level> out = new ArrayList<>(Math.min(n, side.size()));
        for (Level l : side.values()) {
            if (out.size() == n) {
                break;
            }
            out.add(l);
        }
        return out;
    }

    private static List<PriceLevel> toPriceLevels(List<Level> levels) {
        List<PriceLevel> out = new ArrayList<>(levels.size());
        for (Level l : levels) {
            out.add(new PriceLevel(l.price(), l.qty()));
        }
        return out;
    }
}
