package io.riptide.trigger.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Split-count and gain importance of each feature, read from a model artifact as the trainers store it: LightGBM's
 * text format ({@code split_feature} / {@code split_gain} of every tree) or XGBoost's JSON ({@code split_indices} /
 * {@code loss_changes} of inner nodes). Gain shares sum to 1 over the features a model uses.
 */
public final class FeatureImportance {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One feature's importance. */
    public record Entry(String feature, int splits, double gain, double gainShare) {
    }

    private FeatureImportance() {
    }

    /** Features the model splits on, most important (by gain) first; empty for a format it cannot read. */
    public static List<Entry> of(String format, byte[] artifact, List<String> featureNames) {
        double[] gain = new double[featureNames.size()];
        int[] splits = new int[featureNames.size()];
        try {
            switch (format) {
                case "lightgbm-text" -> lightGbm(new String(artifact, StandardCharsets.UTF_8), gain, splits);
                case "xgboost-json" -> xgBoost(JSON.readTree(artifact), gain, splits);
                default -> {
                    return List.of();
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // an artifact we cannot read has no importance to show, it still serves
        }
        double total = 0;
        for (double g : gain) {
            total += g;
        }
        List<Entry> entries = new ArrayList<>();
        for (int f = 0; f < featureNames.size(); f++) {
            if (splits[f] > 0) {
                entries.add(new Entry(featureNames.get(f), splits[f], gain[f], total > 0 ? gain[f] / total : 0));
            }
        }
        entries.sort(Comparator.comparingDouble(Entry::gain).reversed().thenComparing(Entry::feature));
        return entries;
    }

    private static void lightGbm(String text, double[] gain, int[] splits) {
        String[] features = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("split_feature=")) {
                features = line.substring("split_feature=".length()).trim().split(" ");
                for (String f : features) {
                    if (!f.isEmpty()) {
                        splits[Integer.parseInt(f)]++;
                    }
                }
            } else if (line.startsWith("split_gain=") && features != null) {
                String[] gains = line.substring("split_gain=".length()).trim().split(" ");
                for (int i = 0; i < gains.length && i < features.length; i++) {
                    if (!gains[i].isEmpty() && !features[i].isEmpty()) {
                        gain[Integer.parseInt(features[i])] += Double.parseDouble(gains[i]);
                    }
                }
                features = null;
            } else if (line.startsWith("end of trees")) {
                break;
            }
        }
    }

    private static void xgBoost(JsonNode root, double[] gain, int[] splits) {
        JsonNode trees = root.at("/learner/gradient_booster/model/trees");
        for (JsonNode tree : trees) {
            JsonNode left = tree.get("left_children");
            JsonNode index = tree.get("split_indices");
            JsonNode loss = tree.get("loss_changes");
            for (int node = 0; node < left.size(); node++) {
                if (left.get(node).asInt() == -1) {
                    continue; // a leaf
                }
                int f = index.get(node).asInt();
                splits[f]++;
                gain[f] += loss.get(node).asDouble();
            }
        }
    }

    /** The entries as JSON-ready maps, at most {@code limit}. */
    public static List<Map<String, Object>> asMaps(List<Entry> entries, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : entries.subList(0, Math.min(limit, entries.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", e.feature());
            m.put("splits", e.splits());
            m.put("gain", e.gain());
            m.put("gainShare", e.gainShare());
            out.add(m);
        }
        return out;
    }
}
