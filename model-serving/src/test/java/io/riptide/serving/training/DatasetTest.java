package io.riptide.serving.training;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {

    private final Dataset data = new Dataset(new double[] {1, 2, 3, 4, 5, 6}, 3, List.of("a", "b"),
            new double[] {0, 1, 1}, new double[] {1, 2, 3}, new long[] {10, 20, 30});

    @Test
    void exposesShapeAndRows() {
        assertEquals(3, data.rows());
        assertEquals(2, data.cols());
        assertEquals(List.of("a", "b"), data.featureNames());
        double[] row = new double[2];
        data.row(1, row);
        assertArrayEquals(new double[] {3, 4}, row);
        assertEquals(2, data.positives());
    }

    @Test
    void selectCopiesRowsLabelsWeightsAndTimesInOrder() {
        Dataset s = data.select(new int[] {2, 0});
        assertArrayEquals(new double[] {5, 6, 1, 2}, s.matrix());
        assertArrayEquals(new double[] {1, 0}, s.labels());
        assertArrayEquals(new double[] {3, 1}, s.weights());
        assertArrayEquals(new long[] {30, 10}, s.timesMs());
    }

    @Test
    void optionalColumnsMayBeNull() {
        Dataset d = new Dataset(new double[] {1}, 1, List.of("a"), new double[] {1}, null, null);
        assertNull(d.weights());
        assertNull(d.select(new int[] {0}).timesMs());
    }

    @Test
    void rejectsInconsistentShapesWithNamedProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new double[5], 3, List.of("a", "b"), new double[3], null, null));
        assertTrue(e.getMessage().contains("expected rows 3 x features 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new double[2], 1, List.of("a", "b"), new double[] {0.5}, null, null));
        assertTrue(e.getMessage().contains("expected 0 or 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new double[2], 1, List.of("a", "b"), new double[] {1}, new double[] {-1}, null));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> data.select(new int[] {3}));
    }
}
