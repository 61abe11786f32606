package io.riptide.trigger;

import io.riptide.serving.training.TimeSplit;
import io.riptide.trigger.gate.GateRules;

/**
 * How a job splits a key's examples, defined once for the job and for the policy that decides whether a job could
 * run: the most recent {@code holdoutFraction} is the hold-out (champion and candidate are judged on it), the most
 * recent 20% of the rest validates (early stopping, calibration), the remainder trains; each split is purged of rows
 * whose label window reaches into the next. A split too small, or with one class only, cannot train or be judged.
 */
final class TrainingSplits {
    static final double VALIDATION_FRACTION = 0.2;

    /** Row indexes (into the example rows, time-ordered) of each split. */
    record Plan(int[] train, int[] validation, int[] holdout) {
    }

    private TrainingSplits() {
    }

    static Plan of(long[] timesMs, long horizonMs, double holdoutFraction) {
        // The hold-out is the most recent slice, so nothing trains after it: purging (no label window of a training
        // row reaches into the hold-out) is needed, an embargo is not.
        TimeSplit.Split outer = TimeSplit.purged(timesMs, horizonMs, holdoutFraction, 0);
        int[] rest = outer.train();
        long[] restTimes = new long[rest.length];
        for (int i = 0; i < rest.length; i++) {
            restTimes[i] = timesMs[rest[i]];
        }
        if (rest.length == 0) {
            return new Plan(new int[0], new int[0], outer.test());
        }
        TimeSplit.Split inner = TimeSplit.purged(restTimes, horizonMs, VALIDATION_FRACTION, 0);
        return new Plan(map(rest, inner.train()), map(rest, inner.test()), outer.test());
    }

    private static int[] map(int[] base, int[] indexes) {
        int[] out = new int[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = base[indexes[i]];
        }
        return out;
    }

    /**
     * What keeps the plan from training and judging a model: empty when the training and validation splits have at
     * least {@code minRows} rows and both classes, and the hold-out is as large as {@code gate} requires, else each
     * short split with its counts ("hold-out has 192 rows with 0 positives ...;").
     */
    static String shortfall(Plan plan, double[] labels, int minRows, GateRules gate) {
        return shortfall("training", plan.train(), labels, minRows) + shortfall("validation", plan.validation(),
                labels, minRows) + gate.holdoutShortfall(plan.holdout().length, positives(plan.holdout(), labels),
                minRows);
    }

    private static String shortfall(String name, int[] rows, double[] labels, int minRows) {
        int positives = positives(rows, labels);
        if (rows.length < minRows || positives == 0 || positives == rows.length) {
            return " " + name + " has " + rows.length + " rows with " + positives + " positives;";
        }
        return "";
    }

    static int positives(int[] rows, double[] labels) {
        int positives = 0;
        for (int i : rows) {
            positives += labels[i] > 0.5 ? 1 : 0;
        }
        return positives;
    }
}
