package io.riptide.trigger.api.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureImportanceTest {
    private static final List<String> NAMES = List.of("a", "b", "c");

    @Test
    void lightGbmSplitsAndGainsAreSummedPerFeature() {
        String text = String.join("\n", "tree", "version=v4", "feature_names=a b c", "",
                "Tree=0", "num_leaves=3", "split_feature=2 0", "split_gain=30 10", "leaf_value=0 1 2", "",
                "Tree=1", "num_leaves=2", "split_feature=2", "split_gain=20", "leaf_value=0 1", "",
                "end of trees", "", "feature_importances:", "c=2", "a=1");
        List<FeatureImportance.Entry> entries = FeatureImportance.of("lightgbm-text",
                text.getBytes(StandardCharsets.UTF_8), NAMES);
        assertEquals(2, entries.size(), "b is never split on");
        assertEquals("c", entries.get(0).feature());
        assertEquals(2, entries.get(0).splits());
        assertEquals(50, entries.get(0).gain(), 1e-12);
        assertEquals(50.0 / 60, entries.get(0).gainShare(), 1e-12);
        assertEquals("a", entries.get(1).feature());
    }

    @Test
    void xgBoostInnerNodesCountAndLeavesDoNot() {
        String json = "{\"learner\":{\"gradient_booster\":{\"model\":{\"trees\":[{"
                + "\"left_children\":[1,-1,-1],\"split_indices\":[1,0,0],\"loss_changes\":[4.0,0.0,0.0]},{"
                + "\"left_children\":[1,3,-1,-1,-1],\"split_indices\":[1,2,0,0,0],\"loss_changes\":[2.0,6.0,0,0,0]}]}}}}";
        List<FeatureImportance.Entry> entries = FeatureImportance.of("xgboost-json",
                json.getBytes(StandardCharsets.UTF_8), NAMES);
        assertEquals(List.of("b", "c"), entries.stream().map(FeatureImportance.Entry::feature).toList());
        assertEquals(2, entries.get(0).splits());
        assertEquals(6.0, entries.get(0).gain(), 1e-12);
        assertEquals(0.5, entries.get(1).gainShare(), 1e-12);
    }

    @Test
    void anUnreadableArtifactHasNoImportanceRatherThanAnError() {
        assertTrue(FeatureImportance.of("xgboost-json", "{not json".getBytes(StandardCharsets.UTF_8), NAMES).isEmpty());
        assertTrue(FeatureImportance.of("rule-based", new byte[0], NAMES).isEmpty());
    }
}
