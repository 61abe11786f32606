package io.riptide.feed.sim;

import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Trade;

import java.util.ArrayList;
import java.util.List;

/**
 * The learnability check of the simulator, done the way a model would see it: at every minute close, the feature is
 * the realized volatility of 1-minute log returns over the past 30 minutes, the label is whether liquidation
 * notional in the next 15 minutes exceeds a threshold.
 */
final class LiquidationLabelStudy {
    static final long MINUTE = 60_000;

    final List<Double> feature = new ArrayList<>();
    final List<Boolean> label = new ArrayList<>();

    LiquidationLabelStudy() {
    }

    /** All samples of the given studies together. */
    static LiquidationLabelStudy pooled(List<LiquidationLabelStudy> studies) {
        LiquidationLabelStudy out = new LiquidationLabelStudy();
        for (LiquidationLabelStudy s : studies) {
            out.feature.addAll(s.feature);
            out.label.addAll(s.label);
        }
        return out;
    }

    LiquidationLabelStudy(String instrument, List<Trade> allTrades, List<Liquidation> allLiquidations,
                          long startMs, long endMs, double thresholdUsd) {
        int minutes = (int) ((endMs - startMs) / MINUTE);
        double[] lastPrice = new double[minutes];
        double[] liquidated = new double[minutes];
        for (Trade t : allTrades) {
            if (t.getInstrument().toString().equals(instrument)) {
                lastPrice[(int) ((t.getExchangeTimeMs() - startMs) / MINUTE)] = t.getPrice();
            }
        }
        for (Liquidation l : allLiquidations) {
            if (l.getInstrument().toString().equals(instrument)) {
                liquidated[(int) ((l.getExchangeTimeMs() - startMs) / MINUTE)] += l.getNotional();
            }
        }
        for (int m = 1; m < minutes; m++) {
            if (lastPrice[m] == 0) {
                lastPrice[m] = lastPrice[m - 1];
            }
        }
        // minute index m closes at startMs + (m + 1) * MINUTE; features use minutes <= m, the label minutes m+1..m+15
        for (int m = 30; m + 15 < minutes; m++) {
            double sumSq = 0;
            for (int k = m - 29; k <= m; k++) {
                double r = Math.log(lastPrice[k] / lastPrice[k - 1]);
                sumSq += r * r;
            }
            double ahead = 0;
            for (int k = m + 1; k <= m + 15; k++) {
                ahead += liquidated[k];
            }
            feature.add(Math.sqrt(sumSq));
            label.add(ahead > thresholdUsd);
        }
    }

    double positiveRate() {
        return label.stream().filter(b -> b).count() / (double) label.size();
    }

    /** Mann-Whitney AUC: the probability that a random positive has a higher feature than a random negative. */
    double auc() {
        long pairs = 0;
        double wins = 0;
        for (int i = 0; i < feature.size(); i++) {
            if (!label.get(i)) {
                continue;
            }
            for (int j = 0; j < feature.size(); j++) {
                if (label.get(j)) {
                    continue;
                }
                pairs++;
                int c = Double.compare(feature.get(i), feature.get(j));
                wins += c > 0 ? 1 : c == 0 ? 0.5 : 0;
            }
        }
        return wins / pairs;
    }
}
