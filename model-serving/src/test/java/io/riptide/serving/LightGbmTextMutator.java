package io.riptide.serving;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.riptide.serving.ArtifactMutator.flipBytes;
import static io.riptide.serving.ArtifactMutator.pick;

/** LightGBM text mutations; tree-local ones get a matching tree_sizes half the time. */
final class LightGbmTextMutator implements ArtifactMutator {
    private static final List<String> ARRAYS = List.of("split_feature", "threshold", "decision_type", "left_child",
            "right_child", "leaf_value", "cat_boundaries", "cat_threshold", "split_gain", "leaf_count",
            "internal_value");
    private static final List<String> SCALARS = List.of("num_leaves", "num_cat", "is_linear", "shrinkage");
    private static final List<String> NUMBERS = List.of("2147483647", "-2147483648", "4294967296", "-1", "-2", "0",
            "1", "1e308", "1e400", "-1e400", "nan", "inf", "-inf", "1e-320", "0x1p3", "1d", "", "3.5", "-0",
            "99999999999999999999");

    private final String text;
    private final byte[] bytes;
    private final int trees;

    LightGbmTextMutator(String text) {
        this.text = text;
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
        this.trees = LightGbmTextEdits.trees(text);
    }

    @Override
    public Mutant mutate(SplittableRandom r) {
        int op = r.nextInt(9);
        switch (op) {
            case 0:
                return new Mutant("byte flips", "", flipBytes(bytes, r));
            case 1:
                return new Mutant("cut", "", Arrays.copyOf(bytes, r.nextInt(bytes.length)));
            case 7: {
                int keep = r.nextInt(trees);
                String kept = LightGbmTextEdits.firstTrees(text, keep);
                boolean match = r.nextBoolean();
                return new Mutant("first trees kept", keep + (match ? ", tree_sizes matched" : ""),
                        (match ? LightGbmTextEdits.withMatchingTreeSizes(kept) : kept).getBytes(StandardCharsets.UTF_8));
            }
            case 8:
                return header(r);
            default:
                break;
        }
        String mutated;
        String operator;
        String[] lines = text.split("\n", -1);
        if (op == 2 || op == 3 || op == 4) {
            int at = r.nextInt(lines.length);
            List<String> out = new ArrayList<>(Arrays.asList(lines));
            if (op == 2) {
                out.add(at, lines[at]);
                operator = "line duplicated";
            } else if (op == 3) {
                out.remove(at);
                operator = "line deleted";
            } else {
                int other = r.nextInt(lines.length);
                out.set(at, lines[other]);
                out.set(other, lines[at]);
                operator = "lines swapped";
            }
            mutated = String.join("\n", out);
        } else if (op == 5) {
            int tree = r.nextInt(trees);
            String key = r.nextInt(4) == 0 ? pick(r, SCALARS) : pick(r, ARRAYS);
            String value;
            try {
                value = LightGbmTextEdits.field(text, tree, key);
            } catch (IllegalArgumentException absent) {
                key = "leaf_value";
                value = LightGbmTextEdits.field(text, tree, key);
            }
            String[] parts = value.split(" ", -1);
            int k = r.nextInt(parts.length);
            parts[k] = pick(r, NUMBERS);
            mutated = LightGbmTextEdits.withField(text, tree, key, String.join(" ", parts));
            operator = "number replaced";
        } else {
            mutated = child(r);
            operator = "child index edited";
        }
        boolean match = r.nextBoolean();
        if (match) {
            try {
                mutated = LightGbmTextEdits.withMatchingTreeSizes(mutated);
            } catch (RuntimeException blocksGone) {
                match = false;  // the edit broke the layout the helper needs: the mutant stays as it is
            }
        }
        return new Mutant(operator, match ? "tree_sizes matched" : "", mutated.getBytes(StandardCharsets.UTF_8));
    }

    /** Points a child at the root, an ancestor, itself, another node's child, a leaf, or out of range. */
    private String child(SplittableRandom r) {
        int tree = r.nextInt(trees);
        int numLeaves = Integer.parseInt(LightGbmTextEdits.field(text, tree, "num_leaves"));
        if (numLeaves < 2) {
            return LightGbmTextEdits.withField(text, tree, "num_leaves", "2");
        }
        int inner = numLeaves - 1;
        int[] left = Arrays.stream(LightGbmTextEdits.field(text, tree, "left_child").split(" "))
                .mapToInt(Integer::parseInt).toArray();
        int[] right = Arrays.stream(LightGbmTextEdits.field(text, tree, "right_child").split(" "))
                .mapToInt(Integer::parseInt).toArray();
        int[] parent = new int[inner];
        Arrays.fill(parent, -1);
        for (int k = 0; k < inner; k++) {
            for (int c : new int[] {left[k], right[k]}) {
                if (c >= 0) {
                    parent[c] = k;
                }
            }
        }
        int k = r.nextInt(inner);
        String side = r.nextBoolean() ? "left_child" : "right_child";
        int target;
        switch (r.nextInt(7)) {
            case 0 -> target = 0;
            case 1 -> target = k;
            case 2 -> {
                int a = k;
                int up = r.nextInt(1, 4);
                while (up-- > 0 && parent[a] >= 0) {
                    a = parent[a];
                }
                target = a;
            }
            case 3 -> {
                int j = r.nextInt(inner);
                target = r.nextBoolean() ? left[j] : right[j];
            }
            case 4 -> target = ~r.nextInt(numLeaves);
            case 5 -> target = r.nextBoolean() ? inner : ~numLeaves;
            default -> target = r.nextInt(-3 * numLeaves, 3 * numLeaves);
        }
        return LightGbmTextEdits.withElement(text, tree, side, k, Integer.toString(target));
    }

    private Mutant header(SplittableRandom r) {
        String out;
        String detail;
        switch (r.nextInt(9)) {
            case 0 -> {
                String[] sizes = text.replaceFirst("(?s).*?\ntree_sizes=([^\n]*)\n.*", "$1").split(" ");
                int at = r.nextInt(sizes.length);
                List<String> edited = new ArrayList<>(Arrays.asList(sizes));
                switch (r.nextInt(4)) {
                    case 0 -> edited.remove(at);
                    case 1 -> edited.set(at, Long.toString(Long.parseLong(sizes[at]) + r.nextInt(-2, 3)));
                    case 2 -> edited.add(at, sizes[at]);
                    default -> edited.set(at, pick(r, NUMBERS));
                }
                out = text.replaceFirst("\ntree_sizes=[^\n]*\n", "\ntree_sizes=" + String.join(" ", edited) + "\n");
                detail = "tree_sizes";
            }
            case 1 -> {
                out = text.replaceFirst("\ntree_sizes=[^\n]*\n", "\n");
                detail = "tree_sizes removed";
            }
            case 2 -> {
                int tree = r.nextInt(trees);
                int leaves = Integer.parseInt(LightGbmTextEdits.field(text, tree, "num_leaves"));
                String v = pick(r, List.of(Integer.toString(leaves - 1), Integer.toString(leaves + 1), "0", "-1",
                        "2147483647", "131073", "1"));
                out = LightGbmTextEdits.withField(text, tree, "num_leaves", v);
                if (r.nextBoolean()) {
                    out = LightGbmTextEdits.withMatchingTreeSizes(out);
                }
                detail = "num_leaves=" + v;
            }
            case 3 -> {
                String v = pick(r, List.of("4", "6", "-1", "2147483647", "65535", "65536", "abc", ""));
                out = text.replaceFirst("\nmax_feature_idx=[^\n]*\n", "\nmax_feature_idx=" + v + "\n");
                detail = "max_feature_idx=" + v;
            }
            case 4 -> {
                out = r.nextBoolean() ? text.replaceFirst("\nnum_tree_per_iteration=1\n", "\nnum_tree_per_iteration=2\n")
                        : text.replaceFirst("\nnum_class=1\n", "\nnum_class=" + pick(r, NUMBERS) + "\n");
                detail = "num_class / num_tree_per_iteration";
            }
            case 5 -> {
                String v = pick(r, List.of("nan", "0", "-1", "inf", "1e308", "2", "abc"));
                out = text.replaceFirst("\nobjective=binary sigmoid:1\n", "\nobjective=binary sigmoid:" + v + "\n");
                detail = "sigmoid:" + v;
            }
            case 6 -> {
                out = text.replace("end of trees", r.nextBoolean() ? "" : "end of tree");
                detail = "end of trees removed";
            }
            case 7 -> {
                out = text.replaceFirst("\nfeature_names=", "\naverage_output\nfeature_names=");
                detail = "average_output";
            }
            default -> {
                out = text.replaceFirst("\nfeature_names=f0 ", "\nfeature_names=");
                detail = "feature_names";
            }
        }
        return new Mutant("header edited", detail, out.getBytes(StandardCharsets.UTF_8));
    }
}
