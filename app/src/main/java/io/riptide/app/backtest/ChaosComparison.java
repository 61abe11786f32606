package io.riptide.app.backtest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One output of the chaos bench, the run with crashes against the uninterrupted run on the same input, record by
 * record id: ids the uninterrupted run has and the crashed run lacks (lost), ids the crashed run has more than once
 * (duplicated) or that the uninterrupted run never wrote (extra), and ids whose value differs. A value is compared
 * only where it depends on the market alone (bars, features, labels); a prediction's probability depends on which
 * model version served it when, so predictions are compared by id only (a null value).
 */
record ChaosComparison(String output, long reference, long run, long lost, long duplicated, long extra,
                       long differing, long referenceDuplicated) {

    /** Each record's id, and its value where it must be equal across runs (null where not compared). */
    record Keyed(String id, String value) {
    }

    static <T> List<Keyed> keyed(Collection<T> records, Function<T, String> id, Function<T, String> value) {
        List<Keyed> out = new ArrayList<>(records.size());
        for (T r : records) {
            out.add(new Keyed(id.apply(r), value.apply(r)));
        }
        return out;
    }

    static ChaosComparison of(String output, List<Keyed> reference, List<Keyed> run) {
        Map<String, String> referenceValues = new HashMap<>();
        for (Keyed k : reference) {
            referenceValues.putIfAbsent(k.id(), k.value());
        }
        long referenceDuplicated = reference.size() - referenceValues.size();
        Map<String, String> runValues = new HashMap<>();
        long duplicated = 0;
        long extra = 0;
        long differing = 0;
        for (Keyed k : run) {
            if (runValues.containsKey(k.id())) {
                duplicated++;
                continue;
            }
            runValues.put(k.id(), k.value());
            if (!referenceValues.containsKey(k.id())) {
                extra++;
            } else if (!Objects.equals(referenceValues.get(k.id()), k.value())) {
                differing++;
            }
        }
        long lost = referenceValues.keySet().stream().filter(id -> !runValues.containsKey(id)).count();
        return new ChaosComparison(output, referenceValues.size(), runValues.size(), lost, duplicated, extra,
                differing, referenceDuplicated);
    }

    boolean clean() {
        return lost == 0 && duplicated == 0 && extra == 0 && differing == 0 && referenceDuplicated == 0;
    }
}
