package io.riptide.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link ModelArtifactFuzzTest}'s outcomes by format and operator, refusals by reason, and the failures. */
final class FuzzTally {
    int total;
    int nativeAgreed;
    int nativeRefused;
    int nativeDisagreed;
    int nativeBaseScore;
    int xgBoostAccepted;
    final Map<String, int[]> byFormat = new TreeMap<>();
    final Map<String, int[]> byOperator = new TreeMap<>();
    final Map<String, Integer> reasons = new HashMap<>();
    final List<String> failures = new ArrayList<>();
    private boolean lastRefused;

    void refused(String message) {
        lastRefused = true;
        reasons.merge(reasonClass(message), 1, Integer::sum);
    }

    void record(String format, String seed, ArtifactMutator.Mutant mutant, String failure) {
        total++;
        int slot = lastRefused ? 1 : 0;
        lastRefused = false;
        byFormat.computeIfAbsent(format, k -> new int[2])[slot]++;
        byOperator.computeIfAbsent(format + " / " + mutant.operator(), k -> new int[2])[slot]++;
        if (failure != null) {
            failures.add(seed + ", " + mutant.operator() + " " + mutant.detail() + ": " + failure);
        }
    }

    /** A refusal's message with tree, node and number details taken out, so that like refusals count together. */
    static String reasonClass(String message) {
        String m = message.replaceFirst("^model does not parse as [a-z-]+: ", "")
                .replaceFirst("^sanity prediction failed: ", "sanity: ")
                .replaceAll("(LightGBM|XGBoost) tree \\d+", "$1 tree")
                .replaceAll("'[^']*'", "'.'")
                .replaceAll("\\(line \\d+, column \\d+\\)", "")
                .replaceAll("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?", "N");
        String[] words = m.split(" ");
        return String.join(" ", Arrays.copyOf(words, Math.min(words.length, 9)));
    }

    void print(double seconds) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("model artifact fuzz: %d mutants in %.1f s%n", total, seconds));
        for (Map.Entry<String, int[]> e : byFormat.entrySet()) {
            s.append(String.format("  %-14s accepted %5d, refused %5d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        s.append(String.format("  accepted ones on the native path: agreed %d, refused by the library %d,"
                + " differed on an edited base_score %d, disagreed otherwise %d%n", nativeAgreed, nativeRefused, nativeBaseScore,
                nativeDisagreed));
        s.append("  by operator (accepted / refused):\n");
        for (Map.Entry<String, int[]> e : byOperator.entrySet()) {
            s.append(String.format("    %-45s %5d / %5d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        s.append("  refusals by reason:\n");
        reasons.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> s.append(String.format("    %5d  %s%n", e.getValue(), e.getKey())));
        System.out.print(s);
    }
}
