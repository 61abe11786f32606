package io.riptide.serving.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the parts of an XGBoost JSON model that the evaluator uses, streaming, into primitive arrays; everything
 * else is skipped without being kept.
 *
 * <p>Streaming rather than a JSON tree because a tree of a hostile file costs many times its size (every number
 * an object, every string three), while here only the node arrays are kept, each refused as soon as it would
 * take the model past {@link ModelLimits#MAX_NODES} nodes. Values must have the types XGBoost writes (ints for
 * indexes, numbers for conditions, strings for parameters): a wrong type is refused, not coerced. A key twice in
 * an object the reader uses, nesting deeper than Jackson's default 1000 levels or content after the model are
 * refused too.
 */
final class XgBoostJsonReader {

    /**
     * Field names are not canonicalized: a file of millions of distinct names would fill the symbol table. Duplicate
     * keys are found here, in the objects the reader descends into, rather than by Jackson in every object.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

    /** Fields of an object the reader descends into (XGBoost writes about ten): the names seen are kept. */
    private static final int MAX_FIELDS = 1_000;

    /** Parameter values are short ("binary:logistic", "[5E-1]"); a longer one is not kept. */
    private static final int MAX_PARAMETER_LENGTH = 64;

    /** The model's parts; null where the file does not have them. */
    static final class Document {
        String objective;
        String booster;
        final Map<String, String> modelParam = new HashMap<>();
        Map<String, String> gbtreeParam;
        int[] treeInfo;
        int[] iterationIndptr;
        List<Tree> trees;
    }

    /** One tree's arrays as written; null where the file does not have them. */
    static final class Tree {
        Integer id;
        Map<String, String> treeParam;
        int[] left;
        int[] right;
        int[] parents;
        int[] splitIndices;
        int[] splitType;
        int[] defaultLeft;
        double[] splitConditions;
        int[] categoriesNodes;
        int[] categoriesSegments;
        int[] categoriesSizes;
        int[] categories;
    }

    @FunctionalInterface
    private interface FieldReader {
        /** Reads the value of field {@code name}, the parser on its first token, and leaves it on its last. */
        void read(String name) throws IOException;
    }

    private final JsonParser p;
    private final Document document = new Document();
    private int nodes;
    private int categoryValues;

    private XgBoostJsonReader(JsonParser p) {
        this.p = p;
    }

    static Document read(byte[] json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            XgBoostJsonReader reader = new XgBoostJsonReader(p);
            p.nextToken();
            reader.object("the document", name -> {
                if (name.equals("learner")) {
                    reader.learner();
                } else {
                    p.skipChildren();
                }
            });
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("XGBoost JSON has content after the model");
            }
            return reader.document;
        }
    }

    private void learner() throws IOException {
        object("learner", name -> {
            switch (name) {
                case "objective" -> object("learner.objective", n -> {
                    if (n.equals("name")) {
                        document.objective = parameter("learner.objective.name");
                    } else {
                        p.skipChildren();
                    }
                });
                case "gradient_booster" -> object("learner.gradient_booster", n -> {
                    switch (n) {
                        case "name" -> document.booster = parameter("learner.gradient_booster.name");
                        case "model" -> model();
                        default -> p.skipChildren();
                    }
                });
                case "learner_model_param" -> document.modelParam.putAll(parameters("learner_model_param",
                        Set.of("num_feature", "num_class", "num_target", "base_score")));
                default -> p.skipChildren();
            }
        });
    }

    private void model() throws IOException {
        object("gradient_booster.model", name -> {
            switch (name) {
                case "gbtree_model_param" -> document.gbtreeParam =
                        parameters("gbtree_model_param", Set.of("num_trees", "num_parallel_tree"));
                case "tree_info" -> document.treeInfo = ints("tree_info", ModelLimits.MAX_TREES, false);
                case "iteration_indptr" ->
                        document.iterationIndptr = ints("iteration_indptr", ModelLimits.MAX_TREES + 1, false);
                case "trees" -> trees();
                default -> p.skipChildren();
            }
        });
    }

    private void trees() throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("XGBoost JSON trees is not an array");
        }
        document.trees = new ArrayList<>();
        while (next() != JsonToken.END_ARRAY) {
            if (document.trees.size() == ModelLimits.MAX_TREES) {
                throw new IllegalArgumentException("XGBoost model has more than " + ModelLimits.MAX_TREES + " trees");
            }
            document.trees.add(tree("tree " + document.trees.size()));
        }
    }

    private Tree tree(String what) throws IOException {
        Tree tree = new Tree();
        int[] longest = {0};
        object(what, name -> {
            int budget = ModelLimits.MAX_NODES - nodes;
            switch (name) {
                case "id" -> tree.id = intValue(what + " id");
                case "tree_param" -> tree.treeParam = parameters(what + " tree_param",
                        Set.of("num_nodes", "num_deleted", "num_feature", "size_leaf_vector"));
                case "left_children" -> tree.left = nodeInts(what + " left_children", budget, false, longest);
                case "right_children" -> tree.right = nodeInts(what + " right_children", budget, false, longest);
                case "parents" -> tree.parents = nodeInts(what + " parents", budget, false, longest);
                case "split_indices" -> tree.splitIndices = nodeInts(what + " split_indices", budget, false, longest);
                case "split_type" -> tree.splitType = nodeInts(what + " split_type", budget, false, longest);
                case "default_left" -> tree.defaultLeft = nodeInts(what + " default_left", budget, true, longest);
                case "split_conditions" -> {
                    tree.splitConditions = doubles(what + " split_conditions", budget);
                    longest[0] = Math.max(longest[0], tree.splitConditions.length);
                }
                case "categories_nodes" ->
                        tree.categoriesNodes = nodeInts(what + " categories_nodes", budget, false, longest);
                case "categories_segments" ->
                        tree.categoriesSegments = nodeInts(what + " categories_segments", budget, false, longest);
                case "categories_sizes" ->
                        tree.categoriesSizes = nodeInts(what + " categories_sizes", budget, false, longest);
                case "categories" -> {
                    tree.categories = ints(what + " categories", ModelLimits.MAX_NODES - categoryValues, false);
                    categoryValues += tree.categories.length;
                }
                default -> p.skipChildren();
            }
        });
        // a tree's arrays are as long as its node count (checked later): the longest stands for it in the budget
        nodes += longest[0];
        return tree;
    }

    private int[] nodeInts(String what, int budget, boolean booleans, int[] longest) throws IOException {
        int[] values = ints(what, budget, booleans);
        longest[0] = Math.max(longest[0], values.length);
        return values;
    }

    /** The fields of an object, each handed to {@code field}; the parser is on the object's start. */
    private void object(String what, FieldReader field) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("XGBoost JSON " + what + " is not an object");
        }
        Set<String> seen = new HashSet<>();
        JsonToken t;
        while ((t = next()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!seen.add(name)) {
                throw new IllegalArgumentException("XGBoost JSON " + what + " has the key '"
                        + StrictNumbers.excerpt(name) + "' twice");
            }
            if (seen.size() > MAX_FIELDS) {
                throw new IllegalArgumentException("XGBoost JSON " + what + " has more than " + MAX_FIELDS + " keys");
            }
            next();
            field.read(name);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("XGBoost JSON " + what + " is not a well-formed object");
        }
    }

    /** The string-valued parameters named in {@code keep}; others are skipped. */
    private Map<String, String> parameters(String what, Set<String> keep) throws IOException {
        Map<String, String> out = new HashMap<>();
        object(what, name -> {
            if (keep.contains(name)) {
                out.put(name, parameter(what + "." + name));
            } else {
                p.skipChildren();
            }
        });
        return out;
    }

    /** A parameter: XGBoost writes strings; a bare number is read as its text, as before. */
    private String parameter(String what) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IllegalArgumentException("XGBoost JSON " + what + " is not a string");
        }
        if (p.getTextLength() > MAX_PARAMETER_LENGTH) {
            throw new IllegalArgumentException("XGBoost JSON " + what + " is longer than " + MAX_PARAMETER_LENGTH
                    + " characters");
        }
        return p.getText();
    }

    private int intValue(String what) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new IllegalArgumentException("XGBoost JSON " + what + " is not an int");
        }
        return p.getIntValue();
    }

    /** An array of ints (and, where {@code booleans}, true / false as 1 / 0) of at most {@code limit} values. */
    private int[] ints(String what, int limit, boolean booleans) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("XGBoost JSON " + what + " is not an array");
        }
        IntList out = new IntList();
        JsonToken t;
        while ((t = next()) != JsonToken.END_ARRAY) {
            if (out.size() >= limit) {
                throw new IllegalArgumentException("XGBoost JSON " + what + " takes the model past "
                        + ModelLimits.MAX_NODES + " values");
            }
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                out.add(p.getIntValue());
            } else if (booleans && (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE)) {
                out.add(t == JsonToken.VALUE_TRUE ? 1 : 0);
            } else {
                throw new IllegalArgumentException("XGBoost JSON " + what + " has a value that is not an int: "
                        + StrictNumbers.excerpt(t.isScalarValue() ? p.getText() : t.toString()));
            }
        }
        return out.toArray();
    }

    private double[] doubles(String what, int limit) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("XGBoost JSON " + what + " is not an array");
        }
        DoubleList out = new DoubleList();
        JsonToken t;
        while ((t = next()) != JsonToken.END_ARRAY) {
            if (out.size() >= limit) {
                throw new IllegalArgumentException("XGBoost JSON " + what + " takes the model past "
                        + ModelLimits.MAX_NODES + " values");
            }
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new IllegalArgumentException("XGBoost JSON " + what + " has a value that is not a number: "
                        + StrictNumbers.excerpt(t.isScalarValue() ? p.getText() : t.toString()));
            }
            out.add(p.getDoubleValue());
        }
        return out.toArray();
    }

    /** The next token; the end of the input inside a value is an error, not a null to loop on. */
    private JsonToken next() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new IllegalArgumentException("XGBoost JSON ends inside the model (truncated?)");
        }
        return t;
    }
}
