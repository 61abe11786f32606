package io.riptide.serving;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Edits of a LightGBM text model for tests: a tree's field, the trees kept, {@code tree_sizes} made to match. */
public final class LightGbmTextEdits {

    private static final Pattern TREE_START = Pattern.compile("(?m)^Tree=");

    private LightGbmTextEdits() {
    }

    /** Offsets of every {@code Tree=} line and, last, of the {@code end of trees} line. */
    public static List<Integer> blockStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        Matcher m = TREE_START.matcher(text);
        while (m.find()) {
            starts.add(m.start());
        }
        starts.add(text.indexOf("end of trees"));
        return starts;
    }

    public static int trees(String text) {
        return blockStarts(text).size() - 1;
    }

    /** The value of {@code key} in tree {@code tree}. */
    public static String field(String text, int tree, String key) {
        int[] at = fieldValue(text, tree, key);
        return text.substring(at[0], at[1]);
    }

    /** The text with {@code key} of tree {@code tree} set to {@code value}; tree_sizes is left as it was. */
    public static String withField(String text, int tree, String key, String value) {
        int[] at = fieldValue(text, tree, key);
        return text.substring(0, at[0]) + value + text.substring(at[1]);
    }

    /** The value of {@code key} in tree {@code tree}, with element {@code k} replaced. */
    public static String withElement(String text, int tree, String key, int k, String element) {
        String[] values = field(text, tree, key).split(" ");
        values[k] = element;
        return withField(text, tree, key, String.join(" ", values));
    }

    private static int[] fieldValue(String text, int tree, String key) {
        List<Integer> starts = blockStarts(text);
        int from = starts.get(tree);
        int to = starts.get(tree + 1);
        int line = text.indexOf("\n" + key + "=", from);
        if (line < 0 || line >= to) {
            throw new IllegalArgumentException("tree " + tree + " has no " + key);
        }
        int start = line + key.length() + 2;
        return new int[] {start, text.indexOf('\n', start)};
    }

    /** Only the first {@code keep} trees, the header (tree_sizes included) and the trailer left as they were. */
    public static String firstTrees(String text, int keep) {
        List<Integer> starts = blockStarts(text);
        return text.substring(0, starts.get(keep)) + text.substring(starts.get(starts.size() - 1));
    }

    /** The text with tree_sizes listing the blocks it now has, as LightGBM would write it. */
    public static String withMatchingTreeSizes(String text) {
        List<Integer> starts = blockStarts(text);
        List<String> sizes = new ArrayList<>();
        for (int t = 0; t + 1 < starts.size(); t++) {
            sizes.add(Integer.toString(text.substring(starts.get(t), starts.get(t + 1))
                    .getBytes(StandardCharsets.UTF_8).length));
        }
        return text.replaceFirst("(?m)^tree_sizes=.*$", "tree_sizes=" + String.join(" ", sizes));
    }

    /** A one-feature model of one tree that is a chain: node i sends x <= i / 1000 to leaf i, the rest on. */
    public static String chain(int depth) {
        List<String> split = new ArrayList<>();
        List<String> threshold = new ArrayList<>();
        List<String> decision = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        List<String> leaves = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            split.add("0");
            threshold.add(String.format(Locale.ROOT, "%.3f", i * 0.001));
            decision.add("2");
            left.add(Integer.toString(~i));
            right.add(Integer.toString(i + 1 < depth ? i + 1 : ~depth));
        }
        for (int i = 0; i <= depth; i++) {
            leaves.add(String.format(Locale.ROOT, "%.6f", 0.001 + i * 1e-6));
        }
        return "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=0\n"
                + "objective=binary sigmoid:1\n\nTree=0\nnum_leaves=" + (depth + 1) + "\nnum_cat=0\nsplit_feature="
                + String.join(" ", split) + "\nthreshold=" + String.join(" ", threshold) + "\ndecision_type="
                + String.join(" ", decision) + "\nleft_child=" + String.join(" ", left) + "\nright_child="
                + String.join(" ", right) + "\nleaf_value=" + String.join(" ", leaves) + "\nshrinkage=1\n\n\n"
                + "end of trees\n";
    }
}
