package io.riptide.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Edits of an XGBoost JSON model for tests, on its JSON tree: the booster, its trees, a tree's arrays. */
public final class XgBoostJsonEdits {

    private static final ObjectMapper JSON = new ObjectMapper();

    private XgBoostJsonEdits() {
    }

    public static ObjectNode read(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(JsonNode doc) {
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode model(ObjectNode doc) {
        return (ObjectNode) doc.path("learner").path("gradient_booster").path("model");
    }

    public static ObjectNode modelParam(ObjectNode doc) {
        return (ObjectNode) doc.path("learner").path("learner_model_param");
    }

    public static ArrayNode trees(ObjectNode doc) {
        return (ArrayNode) model(doc).path("trees");
    }

    public static ObjectNode tree(ObjectNode doc, int t) {
        return (ObjectNode) trees(doc).get(t);
    }

    /** A tree's int array ({@code left_children}, {@code parents}, ...) as Java ints. */
    public static int[] ints(ObjectNode tree, String key) {
        JsonNode a = tree.path(key);
        int[] out = new int[a.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = a.get(k).asInt();
        }
        return out;
    }

    /** The first internal node, other than the root, of a tree whose two children are leaves. */
    public static int nodeWithLeafChildren(ObjectNode tree) {
        int[] left = ints(tree, "left_children");
        int[] right = ints(tree, "right_children");
        for (int k = 1; k < left.length; k++) {
            if (left[k] != -1 && left[left[k]] == -1 && left[right[k]] == -1) {
                return k;
            }
        }
        throw new IllegalStateException("no internal node with two leaf children");
    }

    /** Keeps the first {@code keep} trees and makes num_trees, tree_info and iteration_indptr match. */
    public static void keepTrees(ObjectNode doc, int keep) {
        ArrayNode trees = trees(doc);
        while (trees.size() > keep) {
            trees.remove(trees.size() - 1);
        }
        ObjectNode model = model(doc);
        ((ObjectNode) model.path("gbtree_model_param")).put("num_trees", Integer.toString(keep));
        ArrayNode info = model.putArray("tree_info");
        ArrayNode indptr = model.putArray("iteration_indptr");
        indptr.add(0);
        for (int t = 0; t < keep; t++) {
            info.add(0);
            indptr.add(t + 1);
        }
    }
}
