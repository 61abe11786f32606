package io.riptide.serving.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tree shapes on hand-made child arrays: the good ones' depths, and every malformed one refused with a message
 * naming the node, also by the layout builders, which used to recurse on whatever they were given.
 */
class TreeShapeTest {

    // LightGBM encoding: root 0 -> (node 1, leaf 2); node 1 -> (leaf 0, leaf 1)
    private static final int[] LEFT = {1, ~0};
    private static final int[] RIGHT = {~2, ~1};

    @Test
    void measuresTheDepthOfWellFormedTrees() {
        assertEquals(2, TreeShape.checkLightGbm("t", 3, LEFT, RIGHT));
        assertEquals(0, TreeShape.checkLightGbm("t", 1, new int[0], new int[0]));
        TreeShape.Reach reach = TreeShape.walkXgBoost("t", new int[] {1, -1, 3, -1, -1}, new int[] {2, -1, 4, -1, -1});
        assertEquals(2, reach.depth());
        assertEquals(0, reach.unreached());
    }

    @Test
    void refusesACycleThroughAnAncestor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.checkLightGbm("LightGBM tree 4", 3, new int[] {1, 0}, new int[] {~2, ~1}));
        assertEquals("LightGBM tree 4: node 0 is reachable twice (cycle or shared child)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.walkXgBoost("XGBoost tree 2", new int[] {1, 0, -1}, new int[] {2, 2, -1}));
        assertEquals("XGBoost tree 2: node 0 is reachable twice (cycle or shared child)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.walkXgBoost("t", new int[] {0}, new int[] {0}));
        assertEquals("t: node 0 is reachable twice (cycle or shared child)", e.getMessage(), "a node its own child");
    }

    @Test
    void refusesASharedChildAndAnOrphan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.checkLightGbm("t", 3, new int[] {1, ~0}, new int[] {~0, ~1}));
        assertEquals("t: leaf 0 is reachable twice (cycle or shared child)", e.getMessage());
        TreeShape.Reach reach = TreeShape.walkXgBoost("t", new int[] {1, -1, -1, -1}, new int[] {2, -1, -1, -1});
        assertEquals(1, reach.unreached());
        assertEquals(3, reach.firstUnreached());
    }

    @Test
    void refusesChildrenOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.checkLightGbm("t", 3, new int[] {2, ~0}, new int[] {~2, ~1}));
        assertTrue(e.getMessage().contains("node 0 has left child 2, outside the internal nodes 0..1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.checkLightGbm("t", 3, new int[] {1, ~0}, new int[] {~3, ~1}));
        assertTrue(e.getMessage().contains("leaf 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.walkXgBoost("t", new int[] {1, -1, -1}, new int[] {7, -1, -1}));
        assertTrue(e.getMessage().contains("right child 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.walkXgBoost("t", new int[] {1, -1, -1}, new int[] {2, 0, -1}));
        assertTrue(e.getMessage().contains("node 1 is a leaf"), e.getMessage());
    }

    @Test
    void refusesA10000DeepChainWithoutRecursing() {
        int inner = 10_000;
        int[] left = new int[inner];
        int[] right = new int[inner];
        for (int k = 0; k < inner; k++) {
            left[k] = ~k;
            right[k] = k + 1 < inner ? k + 1 : ~inner;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeShape.checkLightGbm("t", inner + 1, left, right));
        assertTrue(e.getMessage().contains("deeper than " + ModelLimits.MAX_DEPTH), e.getMessage());
        // a chain just within the bound is fine
        int ok = ModelLimits.MAX_DEPTH;
        int[] l = new int[ok];
        int[] r = new int[ok];
        for (int k = 0; k < ok; k++) {
            l[k] = ~k;
            r[k] = k + 1 < ok ? k + 1 : ~ok;
        }
        assertEquals(ok, TreeShape.checkLightGbm("t", ok + 1, l, r));
    }

    @Test
    void layoutBuildersRefuseACycleInsteadOfOverflowingTheStack() {
        int[] cyclicLeft = {1, 0};
        int[] cyclicRight = {~0, ~1};
        double[] leaves = {0.1, 0.2, 0.3};
        ForestLayout.Builder layout = new ForestLayout.Builder();
        assertThrows(IllegalArgumentException.class,
                () -> layout.addTree(new int[2], new double[2], cyclicLeft, cyclicRight, leaves));
        QuickScorer.Builder quickScorer = new QuickScorer.Builder(1);
        assertThrows(IllegalArgumentException.class, () -> quickScorer.addTree(3, new int[2], new double[2],
                new int[2], cyclicLeft, cyclicRight, leaves, null, null));
        RankForestBuilder ranks = new RankForestBuilder(1);
        ranks.addTree(new int[2], new int[2], new double[] {0.5, 1.5}, cyclicLeft, cyclicRight, leaves, false);
        assertThrows(IllegalArgumentException.class, ranks::build);
        CompleteForest.Tree complete = new CompleteForest.Tree(new int[3], new float[3], new int[] {1, 0, -1},
                new int[] {2, 2, -1}, new float[3]);
        assertThrows(IllegalArgumentException.class, complete::depth);
    }

    @Test
    void quickScorerNumbersLeavesInOrderWithoutRecursion() {
        // root 0 -> (node 1, node 2); node 1 -> (leaf 0, leaf 1); node 2 -> (leaf 2, leaf 3): in-order 0, 1, 2, 3
        QuickScorer.Builder b = new QuickScorer.Builder(1);
        b.addTree(4, new int[3], new double[] {0.0, -1.0, 1.0}, new int[3], new int[] {1, ~0, ~2},
                new int[] {2, ~1, ~3}, new double[] {10, 20, 30, 40}, null, null);
        QuickScorer qs = b.build();
        assertArrayEquals(new double[] {10, 20, 30, 40}, qs.leafValue, 0.0);
        assertEquals(10, qs.sum(new double[] {-2.0}, 0), 0.0);
        assertEquals(20, qs.sum(new double[] {-0.5}, 0), 0.0);
        assertEquals(30, qs.sum(new double[] {0.5}, 0), 0.0);
        assertEquals(40, qs.sum(new double[] {2.0}, 0), 0.0);
    }
}
