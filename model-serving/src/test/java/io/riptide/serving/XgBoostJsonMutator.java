package io.riptide.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.riptide.serving.ArtifactMutator.flipBytes;
import static io.riptide.serving.ArtifactMutator.pick;

/** XGBoost JSON mutations on the JSON tree, plus byte flips and cuts on the bytes. */
final class XgBoostJsonMutator implements ArtifactMutator {
    private static final List<String> TREE_ARRAYS = List.of("left_children", "right_children", "parents",
            "split_indices", "split_conditions", "default_left", "split_type", "categories_nodes",
            "categories_segments", "categories_sizes", "categories", "base_weights");
    private static final List<String> PARAMETERS = List.of("2147483647", "0", "-1", "1", "2", "abc", "", "1e3",
            "[5E-1]", "NaN", "99999999999");

    private final byte[] bytes;
    private final ObjectNode original;

    private final int numFeatures;

    XgBoostJsonMutator(byte[] bytes, int numFeatures) {
        this.bytes = bytes;
        this.numFeatures = numFeatures;
        this.original = XgBoostJsonEdits.read(bytes);
    }

    private static JsonNode number(SplittableRandom r, int n) {
        return switch (r.nextInt(16)) {
            case 0 -> IntNode.valueOf(Integer.MAX_VALUE);
            case 1 -> LongNode.valueOf(1L << 31);
            case 2 -> IntNode.valueOf(-1);
            case 3 -> IntNode.valueOf(-2);
            case 4 -> IntNode.valueOf(0);
            case 5 -> IntNode.valueOf(n);
            case 6 -> IntNode.valueOf(r.nextInt(-5, n + 5));
            case 7 -> DoubleNode.valueOf(1e300);
            case 8 -> DoubleNode.valueOf(r.nextBoolean() ? 1e39 : -1e39);
            case 9 -> DoubleNode.valueOf(Double.NaN);
            case 10 -> DoubleNode.valueOf(r.nextGaussian());
            case 11 -> TextNode.valueOf("1");
            case 12 -> BooleanNode.TRUE;
            case 13 -> NullNode.instance;
            case 14 -> JsonNodeFactory.instance.objectNode();
            default -> IntNode.valueOf(1);
        };
    }

    @Override
    public Mutant mutate(SplittableRandom r) {
        int op = r.nextInt(8);
        if (op == 0) {
            return new Mutant("byte flips", "", flipBytes(bytes, r));
        }
        if (op == 1) {
            return new Mutant("cut", "", Arrays.copyOf(bytes, r.nextInt(bytes.length)));
        }
        ObjectNode doc = original.deepCopy();
        ArrayNode trees = XgBoostJsonEdits.trees(doc);
        int t = r.nextInt(trees.size());
        ObjectNode tree = (ObjectNode) trees.get(t);
        String operator;
        String detail = "";
        switch (op) {
            case 2, 3, 4 -> {
                ArrayNode array = r.nextInt(8) == 0
                        ? (ArrayNode) XgBoostJsonEdits.model(doc).path(r.nextBoolean() ? "tree_info" : "iteration_indptr")
                        : (ArrayNode) tree.path(pick(r, TREE_ARRAYS));
                if (array.isEmpty()) {
                    array = (ArrayNode) tree.path("left_children");
                }
                int k = r.nextInt(array.size());
                if (op == 2) {
                    int j = r.nextInt(array.size());
                    JsonNode a = array.get(k);
                    array.set(k, array.get(j));
                    array.set(j, a);
                    operator = "array elements swapped";
                } else if (op == 3) {
                    if (r.nextBoolean()) {
                        array.remove(k);
                        operator = "array element removed";
                    } else {
                        array.insert(k, array.get(k));
                        operator = "array element duplicated";
                    }
                } else {
                    array.set(k, number(r, array.size()));
                    operator = "number replaced";
                }
            }
            case 5 -> {
                child(r, tree);
                operator = "child index edited";
            }
            case 6 -> {
                detail = header(r, doc, tree);
                operator = "header edited";
            }
            default -> {
                detail = trees(r, doc, t);
                operator = "trees edited";
            }
        }
        return new Mutant(operator, detail, XgBoostJsonEdits.bytes(doc));
    }

    private static void child(SplittableRandom r, ObjectNode tree) {
        int[] left = XgBoostJsonEdits.ints(tree, "left_children");
        int[] right = XgBoostJsonEdits.ints(tree, "right_children");
        int[] parents = XgBoostJsonEdits.ints(tree, "parents");
        int n = left.length;
        List<Integer> internal = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (left[k] != -1) {
                internal.add(k);
            }
        }
        int k = internal.isEmpty() ? 0 : pick(r, internal);
        String side = r.nextBoolean() ? "left_children" : "right_children";
        int target;
        switch (r.nextInt(8)) {
            case 0 -> target = 0;
            case 1 -> target = k;
            case 2 -> {
                int a = k;
                int up = r.nextInt(1, 4);
                while (up-- > 0 && a > 0 && parents[a] >= 0 && parents[a] < n) {
                    a = parents[a];
                }
                target = a;
            }
            case 3 -> {
                int j = r.nextInt(n);
                target = r.nextBoolean() ? left[j] : right[j];
            }
            case 4 -> target = n;
            case 5 -> target = -1;
            case 6 -> {
                // both children gone: the node becomes a leaf and its subtree orphans
                ((ArrayNode) tree.path("left_children")).set(k, IntNode.valueOf(-1));
                target = -1;
            }
            default -> target = r.nextInt(-3, n + 3);
        }
        ((ArrayNode) tree.path(side)).set(k, IntNode.valueOf(target));
    }

    private String header(SplittableRandom r, ObjectNode doc, ObjectNode tree) {
        ObjectNode model = XgBoostJsonEdits.model(doc);
        ObjectNode learnerParam = XgBoostJsonEdits.modelParam(doc);
        String v = pick(r, PARAMETERS);
        String field;
        switch (r.nextInt(10)) {
            case 0 -> ((ObjectNode) model.path("gbtree_model_param")).put(field = "num_trees", v);
            case 1 -> ((ObjectNode) model.path("gbtree_model_param")).put(field = "num_parallel_tree", v);
            case 2 -> learnerParam.put(field = "num_feature",
                    v = r.nextBoolean() ? v : Integer.toString(numFeatures + r.nextInt(-2, 3)));
            case 3 -> learnerParam.put(field = "base_score", v = pick(r, List.of("0", "1", "[NaN]", "-1", "[5E-1",
                    "2", "[]", "[1E-45]", "[0.99999994]", "5E-1", "1E-45", "0.99999994")));
            case 4 -> learnerParam.put(field = r.nextBoolean() ? "num_class" : "num_target", v);
            case 5 -> ((ObjectNode) doc.path("learner").path("objective")).put(field = "objective",
                    v = pick(r, List.of("reg:squarederror", "binary:logitraw", "reg:logistic", "")));
            case 6 -> ((ObjectNode) tree.path("tree_param")).put(field = pick(r,
                    List.of("num_nodes", "num_deleted", "num_feature", "size_leaf_vector")), v);
            case 7 -> {
                JsonNode id = number(r, 10);
                tree.set(field = "id", id);
                v = id.toString();
            }
            case 8 -> {
                field = "removed";
                v = pick(r, List.of("left_children", "parents", "tree_param", "split_conditions", "default_left",
                        "split_type", "categories"));
                tree.remove(v);
            }
            default -> ((ObjectNode) doc.path("learner").path("gradient_booster")).put(field = "booster",
                    v = pick(r, List.of("dart", "gblinear", "")));
        }
        return field + "=" + v;
    }

    private static String trees(SplittableRandom r, ObjectNode doc, int t) {
        ArrayNode trees = XgBoostJsonEdits.trees(doc);
        boolean consistent = r.nextBoolean();
        String what;
        switch (r.nextInt(3)) {
            case 0 -> {
                trees.remove(t);
                what = "tree removed";
            }
            case 1 -> {
                trees.add(trees.get(t).deepCopy());
                what = "tree duplicated";
            }
            default -> {
                int other = r.nextInt(trees.size());
                JsonNode a = trees.get(t);
                trees.set(t, trees.get(other));
                trees.set(other, a);
                what = "trees swapped";
            }
        }
        if (consistent && !trees.isEmpty()) {
            for (int i = 0; i < trees.size(); i++) {
                ((ObjectNode) trees.get(i)).put("id", i);
            }
            XgBoostJsonEdits.keepTrees(doc, trees.size());
            what += ", counts and ids matched";
        }
        return what;
    }
}
