package io.riptide.serving.training;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeSplitTest {

    private static long[] minutes(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 60_000L;
        }
        return t;
    }

    @Test
    void lastFractionIsTestAndTrainRowsWhoseLabelReachesTestArePurged() {
        long[] t = minutes(100);
        TimeSplit.Split s = TimeSplit.purged(t, 5 * 60_000L, 0.2, 0);
        assertEquals(20, s.test().length);
        assertEquals(80, s.test()[0]);
        // rows 75..79 have label windows (t, t+5m] reaching minute 80; row 74's window ends at 79
        assertEquals(75, s.train().length);
        assertEquals(74, s.train()[74]);
        long testStart = t[s.test()[0]];
        for (int i : s.train()) {
            assertTrue(t[i] + 5 * 60_000L < testStart);
        }
    }

    @Test
    void embargoDropsRowsJustAfterAMiddleTestBlock() {
        long[] t = minutes(100);
        TimeSplit.Split s = TimeSplit.purged(t, 2 * 60_000L, 0.4, 0.6, 3 * 60_000L);
        assertArrayEquals(java.util.stream.IntStream.range(40, 60).toArray(), s.test());
        int[] expectedTrain = java.util.stream.IntStream.concat(java.util.stream.IntStream.range(0, 38),
                java.util.stream.IntStream.range(65, 100)).toArray();
        assertArrayEquals(expectedTrain, s.train());
    }

    @Test
    void unorderedTimesAreSortedAndTiesAtTheBoundaryJoinTest() {
        long[] t = {50, 10, 40, 40, 20, 30, 0, 60, 70, 40};
        TimeSplit.Split s = TimeSplit.purged(t, 0, 0.3, 0);
        int[] test = s.test().clone();
        Arrays.sort(test);
        // sorted times 0,10,20,30,40,40,40,50,60,70: the 30% block starts at 50
        assertArrayEquals(new int[] {0, 7, 8}, test);
        for (int i : s.train()) {
            assertTrue(t[i] < 50);
        }
        assertEquals(7, s.train().length);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> TimeSplit.purged(new long[0], 0, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> TimeSplit.purged(minutes(10), -1, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> TimeSplit.purged(minutes(10), 0, 1.5, 0));
    }
}
