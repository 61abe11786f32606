package io.riptide.trigger.gate;

import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a candidate must show on its hold-out to be accepted, for one model key.
 *
 * @param limits                 per metric, the floor (a metric where higher is better) or the ceiling (lower is
 *                               better) the candidate must reach
 * @param maxDegradation         per metric, how much worse than the champion's the candidate may be, in the
 *                               metric's units
 * @param maxRelativeDegradation per metric, the same as a share of the champion's value (0.1 = 10% worse)
 * @param minHoldoutRows         the fewest hold-out rows a candidate is judged on
 * @param minHoldoutPerClass     the fewest positives, and the fewest negatives, in the hold-out
 * @param maxChance              the largest probability, by the Mann-Whitney test, that a model with no skill would
 *                               reach the candidate's hold-out AUC; 1 turns the test off
 */
public record GateRules(Map<GateMetric, Double> limits, Map<GateMetric, Double> maxDegradation,
                        Map<GateMetric, Double> maxRelativeDegradation, int minHoldoutRows, int minHoldoutPerClass,
                        double maxChance) {
    public static final String PREFIX = "trigger.gate.";
    private static final String HOLDOUT_MIN_ROWS = "holdout.min.rows";
    private static final String HOLDOUT_MIN_PER_CLASS = "holdout.min.per.class";
    private static final String AUC_CHANCE_MAX = "auc.chance.max";
    private static final String MAX_DEGRADATION = ".max.degradation";
    private static final String MAX_RELATIVE_DEGRADATION = ".max.degradation.relative";
    private static final Map<String, String> RENAMED = Map.of(
            "min.auc", "auc.min",
            "max.degradation", "auc.max.degradation");

    /** The defaults: AUC at least 0.55, at most 0.02 below the champion's, and a 5% chance test. */
    public static final GateRules DEFAULTS = new GateRules(Map.of(GateMetric.AUC, 0.55),
            Map.of(GateMetric.AUC, 0.02), Map.of(), 0, 10, 0.05);

    public GateRules {
        limits = Collections.unmodifiableMap(copy(limits));
        maxDegradation = Collections.unmodifiableMap(copy(maxDegradation));
        maxRelativeDegradation = Collections.unmodifiableMap(copy(maxRelativeDegradation));
    }

    private static Map<GateMetric, Double> copy(Map<GateMetric, Double> m) {
        return m.isEmpty() ? new EnumMap<>(GateMetric.class) : new EnumMap<>(m);
    }

    /**
     * {@code trigger.gate.<setting>} for every key, overridden per key by {@code trigger.gate.<model-key>.<setting>}.
     * Any other setting under {@code trigger.gate.} is an error that names it, so a typo never passes silently.
     */
    public static PerKey from(Settings s, List<String> modelKeys) {
        rejectUnknown(s, modelKeys);
        GateRules global = read(s, PREFIX, DEFAULTS);
        Map<String, GateRules> byKey = new LinkedHashMap<>();
        for (String key : modelKeys) {
            GateRules rules = read(s, PREFIX + key + ".", global);
            if (!rules.equals(global)) {
                byKey.put(key, rules);
            }
        }
        return new PerKey(global, byKey);
    }

    /** The rules of every key: {@code global}, except where a key sets its own. */
    public record PerKey(GateRules global, Map<String, GateRules> byKey) {
        public PerKey {
            byKey = Map.copyOf(byKey);
        }

        public GateRules of(String modelKey) {
            return byKey.getOrDefault(modelKey, global);
        }
    }

    private static GateRules read(Settings s, String prefix, GateRules base) {
        Map<GateMetric, Double> limits = new EnumMap<>(GateMetric.class);
        Map<GateMetric, Double> degradation = new EnumMap<>(GateMetric.class);
        Map<GateMetric, Double> relative = new EnumMap<>(GateMetric.class);
        limits.putAll(base.limits);
        degradation.putAll(base.maxDegradation);
        relative.putAll(base.maxRelativeDegradation);
        for (GateMetric m : GateMetric.values()) {
            double bound = m == GateMetric.LOG_LOSS ? 100 : 1;
            readInto(s, prefix + m.settingName() + "." + m.limitSuffix(), m, limits, bound);
            readInto(s, prefix + m.settingName() + MAX_DEGRADATION, m, degradation, bound);
            readInto(s, prefix + m.settingName() + MAX_RELATIVE_DEGRADATION, m, relative, 10);
        }
        return new GateRules(limits, degradation, relative,
                s.intValue(prefix + HOLDOUT_MIN_ROWS, base.minHoldoutRows, 0, Integer.MAX_VALUE),
                s.intValue(prefix + HOLDOUT_MIN_PER_CLASS, base.minHoldoutPerClass, 1, Integer.MAX_VALUE),
                s.doubleValue(prefix + AUC_CHANCE_MAX, base.maxChance, 0, 1));
    }

    /** An empty value ({@code trigger.gate.auc.min=}) isn't a setting; {@code off} removes an inherited check. */
    private static void readInto(Settings s, String name, GateMetric metric, Map<GateMetric, Double> into,
                                 double max) {
        String raw = s.string(name, null);
        if (raw == null) {
            return;
        }
        if (raw.equalsIgnoreCase("off")) {
            into.remove(metric);
        } else {
            into.put(metric, s.doubleValue(name, 0, 0, max));
        }
    }

    private static void rejectUnknown(Settings s, List<String> modelKeys) {
        Set<String> known = new LinkedHashSet<>();
        for (String scope : scopes(modelKeys)) {
            for (String setting : settingNames()) {
                known.add(scope + setting);
                known.add((scope + setting).replace('-', '.')); // the form a RIPTIDE_... variable gives
            }
        }
        for (String name : new ArrayList<>(s.withPrefix(PREFIX).keySet())) {
            String renamed = RENAMED.get(name);
            if (renamed != null) {
                throw new ConfigException(PREFIX + name + " was renamed: set " + PREFIX + renamed);
            }
            if (!known.contains(name)) {
                throw new ConfigException("unknown setting " + PREFIX + name + ": expected " + PREFIX
                        + "[<model-key>.]<metric>.min|max|max.degradation|max.degradation.relative, "
                        + HOLDOUT_MIN_ROWS + ", " + HOLDOUT_MIN_PER_CLASS + " or " + AUC_CHANCE_MAX
                        + " (metrics: " + String.join(", ", metricNames()) + "; model keys: "
                        + String.join(", ", modelKeys) + ")");
            }
        }
    }

    private static List<String> scopes(List<String> modelKeys) {
        List<String> scopes = new ArrayList<>();
        scopes.add("");
        modelKeys.forEach(k -> scopes.add(k + "."));
        return scopes;
    }

    private static List<String> settingNames() {
        List<String> names = new ArrayList<>(List.of(HOLDOUT_MIN_ROWS, HOLDOUT_MIN_PER_CLASS, AUC_CHANCE_MAX));
        for (GateMetric m : GateMetric.values()) {
            names.add(m.settingName() + "." + m.limitSuffix());
            names.add(m.settingName() + MAX_DEGRADATION);
            names.add(m.settingName() + MAX_RELATIVE_DEGRADATION);
        }
        return names;
    }

    private static List<String> metricNames() {
        return java.util.Arrays.stream(GateMetric.values()).map(GateMetric::settingName).toList();
    }

    /**
     * Why a hold-out of this size can't judge a candidate: empty when it has at least {@code minRows} (and
     * {@link #minHoldoutRows}) rows and {@link #minHoldoutPerClass} of each class, else its counts. One rule for
     * the policy (don't queue a job yet), the job (refuse without a cooldown) and the gate.
     */
    public String holdoutShortfall(int rows, int positives, int minRows) {
        int negatives = rows - positives;
        if (rows < Math.max(minRows, minHoldoutRows) || positives < minHoldoutPerClass
                || negatives < minHoldoutPerClass) {
            return " hold-out has " + rows + " rows with " + positives + " positives (needs "
                    + Math.max(minRows, minHoldoutRows) + " rows, " + minHoldoutPerClass + " of each class);";
        }
        return "";
    }
}
