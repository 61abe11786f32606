package io.riptide.app.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns what each arm served and what happened into the backtest's figures: live quality per arm, key and market
 * phase; recovery after each shift; what each drift detector did. Pure: the figures depend only on its inputs, so a
 * backtest's JSON is the same on every run of the same input.
 */
final class BacktestAnalysis {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** A detector firing this long after a shift is a detection of it; elsewhere it is a false alarm. */
    static final long DETECTION_WINDOW_MS = 3 * HOUR;
    /** "Before the shift" is the last part of the calm phase, once models have had time to serve. */
    static final long PRE_WINDOW_MS = 6 * HOUR;
    /** Recovery is back to this share of the pre-shift live AUC. */
    static final double RECOVERED = 0.95;
    /** A version must have served this many outcomes of a key to be judged. */
    static final int MIN_CYCLE_OUTCOMES = 60;

    /** A drift event as the analysis needs it. */
    record Alarm(String modelKey, int version, String detector, String subject, String severity, long timeMs) {
    }

    private final long startMs;
    private final long endMs;
    private final List<Long> shifts;
    private final List<String> keys;

    BacktestAnalysis(long startMs, long endMs, List<Long> shifts, List<String> keys) {
        this.startMs = startMs;
        this.endMs = endMs;
        this.shifts = List.copyOf(shifts);
        this.keys = List.copyOf(keys);
    }

    int shiftCount() {
        return shifts.size();
    }

    int keyCount() {
        return keys.size();
    }

    /** Market phases: before the first shift, between shifts, after the last (or the whole run without shifts). */
    List<Map<String, Object>> phases() {
        List<Map<String, Object>> phases = new ArrayList<>();
        long from = startMs;
        for (int i = 0; i <= shifts.size(); i++) {
            long to = i < shifts.size() ? shifts.get(i) : endMs;
            String name = shifts.isEmpty() ? "whole run" : i == 0 ? "before shift 1" : "after shift " + i;
            phases.add(phase(name, from, to));
            from = to;
        }
        return phases;
    }

    private static Map<String, Object> phase(String name, long from, long to) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("from", Instant.ofEpochMilli(from).toString());
        p.put("to", Instant.ofEpochMilli(to).toString());
        p.put("fromMs", from);
        p.put("toMs", to);
        return p;
    }

    /**
     * Per key and phase: live metrics over all outcomes, and split by the market's state at prediction time
     * (stressed: the engine called the regime volatile; calm: any other).
     */
    Map<String, Object> phaseMetrics(List<LiveMetrics.Outcome> outcomes, Map<String, TreeMap<Long, String>> regimes) {
        Map<String, Object> byPhase = new LinkedHashMap<>();
        for (Map<String, Object> phase : phases()) {
            long from = (Long) phase.get("fromMs");
            long to = (Long) phase.get("toMs");
            Map<String, Object> byKey = new LinkedHashMap<>();
            for (String key : keys) {
                List<LiveMetrics.Outcome> in = LiveMetrics.select(outcomes, o -> o.modelKey().startsWith(key)
                        && o.predictionTimeMs() >= from && o.predictionTimeMs() < to);
                Map<String, Object> split = new LinkedHashMap<>();
                split.put("all", LiveMetrics.of(in));
                split.put("calm", LiveMetrics.of(LiveMetrics.select(in, o -> !stressed(regimes, o))));
                split.put("stressed", LiveMetrics.of(LiveMetrics.select(in, o -> stressed(regimes, o))));
                byKey.put(key, split);
            }
            byPhase.put((String) phase.get("name"), byKey);
        }
        return byPhase;
    }

    private static boolean stressed(Map<String, TreeMap<Long, String>> regimes, LiveMetrics.Outcome o) {
        TreeMap<Long, String> r = regimes.get(o.instrument());
        if (r == null) {
            return false;
        }
        Map.Entry<Long, String> at = r.floorEntry(o.predictionTimeMs());
        return at != null && at.getValue().equals("volatile");
    }

    /** Live AUC of a key over [from, to), NaN when undefined. */
    static double aucOf(List<LiveMetrics.Outcome> outcomes, String key, long from, long to) {
        return LiveMetrics.auc(LiveMetrics.select(outcomes, o -> o.modelKey().startsWith(key)
                && o.predictionTimeMs() >= from && o.predictionTimeMs() < to));
    }

    /**
     * For each shift and key: the retrain arm's live AUC before it (the last {@value #PRE_WINDOW_MS} ms of the phase
     * before), every arm's live AUC from it to the end, and the recovery: the versions the retrain arm served after
     * the shift, in order, each judged on the outcomes it served; the first whose live AUC is back to
     * {@value #RECOVERED} of the pre-shift AUC ends the recovery, after as many retrain cycles as versions so far.
     */
    List<Map<String, Object>> shifts(Map<String, List<LiveMetrics.Outcome>> outcomesByArm,
                                     List<ArmRuntime.Swap> retrainSwaps) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int s = 0; s < shifts.size(); s++) {
            long shift = shifts.get(s);
            long previous = s == 0 ? startMs : shifts.get(s - 1);
            long next = s + 1 < shifts.size() ? shifts.get(s + 1) : endMs;
            long preFrom = Math.max(previous, shift - PRE_WINDOW_MS);
            Map<String, Object> perKey = new LinkedHashMap<>();
            for (String key : keys) {
                Map<String, Object> k = new LinkedHashMap<>();
                Map<String, Object> pre = new LinkedHashMap<>();
                Map<String, Object> post = new LinkedHashMap<>();
                outcomesByArm.forEach((arm, outcomes) -> {
                    pre.put(arm, nullIfNaN(aucOf(outcomes, key, preFrom, shift)));
                    post.put(arm, nullIfNaN(aucOf(outcomes, key, shift, next)));
                });
                k.put("pre_auc", pre);
                k.put("post_auc", post);
                List<LiveMetrics.Outcome> retrain = outcomesByArm.get(Arm.RETRAIN.label());
                if (retrain != null) {
                    k.putAll(recovery(retrain, retrainSwaps, key, aucOf(retrain, key, preFrom, shift), shift, next));
                }
                perKey.put(key, k);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", Instant.ofEpochMilli(shift).toString());
            entry.put("atMarketHour", (shift - startMs) / (double) HOUR);
            entry.put("keys", perKey);
            out.add(entry);
        }
        return out;
    }

    private static Map<String, Object> recovery(List<LiveMetrics.Outcome> outcomes, List<ArmRuntime.Swap> swaps,
                                                String key, double preAuc, long shift, long next) {
        List<long[]> served = new ArrayList<>(); // {from, to, version}
        List<ArmRuntime.Swap> after = swaps.stream().filter(w -> w.key().equals(key) && w.marketTimeMs() >= shift
                && w.marketTimeMs() < next).toList();
        long from = shift;
        int version = swaps.stream().filter(w -> w.key().equals(key) && w.marketTimeMs() < shift)
                .reduce((a, b) -> b).map(ArmRuntime.Swap::toVersion).orElse(0);
        for (ArmRuntime.Swap w : after) {
            served.add(new long[]{from, w.marketTimeMs(), version});
            from = w.marketTimeMs();
            version = w.toVersion();
        }
        served.add(new long[]{from, next, version});
        Map<String, Object> r = new LinkedHashMap<>();
        List<Map<String, Object>> cycles = new ArrayList<>();
        Integer cyclesToRecover = null;
        Double recovery = null;
        for (int c = 0; c < served.size(); c++) {
            long[] w = served.get(c);
            List<LiveMetrics.Outcome> in = LiveMetrics.select(outcomes, o -> o.modelKey().startsWith(key)
                    && o.predictionTimeMs() >= w[0] && o.predictionTimeMs() < w[1]);
            double auc = in.size() >= MIN_CYCLE_OUTCOMES ? LiveMetrics.auc(in) : Double.NaN;
            Map<String, Object> cycle = new LinkedHashMap<>();
            cycle.put("cycle", c);
            cycle.put("version", (int) w[2]);
            cycle.put("from", Instant.ofEpochMilli(w[0]).toString());
            cycle.put("outcomes", in.size());
            cycle.put("auc", nullIfNaN(auc));
            cycles.add(cycle);
            if (cyclesToRecover == null && Double.isFinite(auc) && Double.isFinite(preAuc) && preAuc > 0) {
                if (auc >= RECOVERED * preAuc) {
                    cyclesToRecover = c;
                    recovery = LiveMetrics.round(auc / preAuc);
                }
            }
        }
        if (recovery == null && Double.isFinite(preAuc) && preAuc > 0) {
            double last = LiveMetrics.auc(LiveMetrics.select(outcomes, o -> o.modelKey().startsWith(key)
                    && o.predictionTimeMs() >= served.get(served.size() - 1)[0] && o.predictionTimeMs() < next));
            recovery = Double.isFinite(last) ? LiveMetrics.round(last / preAuc) : null;
        }
        r.put("recovery", recovery);
        r.put("cycles_to_recover", cyclesToRecover);
        r.put("cycles", cycles);
        return r;
    }

    /**
     * Per detector, judged on its own: its firings (distinct (key, time) events at WARNING or CRITICAL; data-drift
     * detectors never go above WARNING, concept-drift ones alarm at CRITICAL), false alarms per key per calm market
     * day (firings outside {@value #DETECTION_WINDOW_MS} ms after a shift), detection delay after each shift per key
     * in market minutes, and missed shifts.
     */
    Map<String, Object> detectors(List<Alarm> alarms) {
        TreeSet<String> detectors = new TreeSet<>();
        alarms.forEach(a -> detectors.add(a.detector()));
        Map<String, Object> out = new LinkedHashMap<>();
        double calmDays = calmDays();
        for (String detector : detectors) {
            Map<String, Object> d = new LinkedHashMap<>();
            TreeSet<String> firings = new TreeSet<>();
            TreeSet<String> critical = new TreeSet<>();
            int falseAlarms = 0;
            List<Double> delays = new ArrayList<>();
            int missed = 0;
            for (Alarm a : alarms) {
                if (!a.detector().equals(detector)) {
                    continue;
                }
                String id = a.modelKey() + "|" + a.timeMs();
                if (fires(a) && firings.add(id) && !inDetectionWindow(a.timeMs())) {
                    falseAlarms++;
                }
                if (a.severity().equals("CRITICAL")) {
                    critical.add(id);
                }
            }
            Map<String, Object> perShift = new LinkedHashMap<>();
            for (long shift : shifts) {
                Map<String, Object> perKey = new LinkedHashMap<>();
                for (String key : keys) {
                    Long first = alarms.stream().filter(a -> a.detector().equals(detector)
                                    && fires(a) && a.modelKey().startsWith(key)
                                    && a.timeMs() >= shift && a.timeMs() < shift + DETECTION_WINDOW_MS)
                            .map(Alarm::timeMs).min(Long::compare).orElse(null);
                    if (first == null) {
                        missed++;
                        perKey.put(key, null);
                    } else {
                        double delay = (first - shift) / (double) MINUTE;
                        delays.add(delay);
                        perKey.put(key, delay);
                    }
                }
                perShift.put(Instant.ofEpochMilli(shift).toString(), perKey);
            }
            d.put("firings", firings.size());
            d.put("critical", critical.size());
            d.put("false_alarms", falseAlarms);
            d.put("false_alarms_per_key_per_calm_day", calmDays > 0
                    ? LiveMetrics.round(falseAlarms / (double) keys.size() / calmDays) : null);
            d.put("detection_delay_min", perShift);
            d.put("median_delay_min", delays.isEmpty() ? null : median(delays));
            d.put("missed", missed);
            out.put(detector, d);
        }
        return out;
    }

    private static boolean fires(Alarm a) {
        return !a.severity().equals("INFO");
    }

    /** The earliest CRITICAL firing of any detector after each shift, per key: median over shifts and keys. */
    Double firstDetectionMedianMinutes(List<Alarm> alarms) {
        List<Double> delays = new ArrayList<>();
        for (long shift : shifts) {
            for (String key : keys) {
                alarms.stream().filter(a -> a.severity().equals("CRITICAL") && a.modelKey().startsWith(key)
                                && a.timeMs() >= shift && a.timeMs() < shift + DETECTION_WINDOW_MS)
                        .map(Alarm::timeMs).min(Long::compare)
                        .ifPresent(t -> delays.add((t - shift) / (double) MINUTE));
            }
        }
        return delays.isEmpty() ? null : median(delays);
    }

    /** CRITICAL firings (distinct key, detector and time) outside the detection windows, per key per calm day. */
    Double falseAlarmsPerKeyPerCalmDay(List<Alarm> alarms) {
        TreeSet<String> distinct = new TreeSet<>();
        for (Alarm a : alarms) {
            if (a.severity().equals("CRITICAL") && !inDetectionWindow(a.timeMs())) {
                distinct.add(a.modelKey() + "|" + a.detector() + "|" + a.timeMs());
            }
        }
        double calmDays = calmDays();
        return calmDays > 0 ? LiveMetrics.round(distinct.size() / (double) keys.size() / calmDays) : null;
    }

    private boolean inDetectionWindow(long timeMs) {
        for (long shift : shifts) {
            if (timeMs >= shift && timeMs < shift + DETECTION_WINDOW_MS) {
                return true;
            }
        }
        return false;
    }

    /** Market days outside the detection windows. */
    double calmDays() {
        long calm = endMs - startMs;
        for (long shift : shifts) {
            calm -= Math.max(0, Math.min(endMs, shift + DETECTION_WINDOW_MS) - shift);
        }
        return calm / (double) DAY;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return LiveMetrics.round(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    static Double nullIfNaN(double v) {
        return Double.isFinite(v) ? LiveMetrics.round(v) : null;
    }
}
