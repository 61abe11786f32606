package io.riptide.trigger.store;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.trigger.TriggerTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a job loads is what was stored, on a real PostgreSQL: the binary, streamed, index-ordered read. */
class ExampleStoreIT {
    private static EmbeddedRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = EmbeddedRuntime.start();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void theMostRecentRowsComeBackOldestFirstWithEveryFeatureBitForBit() {
        var db = runtime.createDatabaseNamed("examples_load");
        Migrations.migrate(db);
        ExampleStore store = new ExampleStore(db);
        // more rows than one fetch, three per minute (equal times, ordered by id), and values text would round
        List<LabeledExample> examples = new ArrayList<>();
        for (LabeledExample e : TriggerTestSupport.examples("load-", 3 * ExampleStore.FETCH_ROWS, 1_000_000L)) {
            List<Double> features = new ArrayList<>(e.getFeatures());
            features.set(1, Math.PI * features.get(1) / 3);
            features.set(3, examples.size() % 7 == 0 ? Double.NaN : features.get(3));
            examples.add(LabeledExample.newBuilder(e).setFeatures(features).build());
        }
        store.insert(examples.subList(0, 5_000));
        store.insert(examples.subList(5_000, examples.size()));
        int max = 2 * ExampleStore.FETCH_ROWS + 17;
        TrainingRows rows = store.load("liquidation", 15, null, null, max);
        assertEquals(max, rows.size());
        ExampleStore.Labels planned = store.labels("liquidation", 15, max);
        assertArrayEquals(planned.timesMs(), rows.timesMs(), "the split plan sees the rows the job loads");
        int features = TriggerTestSupport.NAMES.size();
        List<LabeledExample> expected = examples.stream()
                .sorted(java.util.Comparator.comparingLong(LabeledExample::getTimeMs)
                        .thenComparing(e -> e.getExampleId().toString()))
                .toList();
        expected = expected.subList(expected.size() - max, expected.size());
        for (int i = 0; i < max; i++) {
            LabeledExample e = expected.get(i);
            assertEquals(e.getTimeMs(), rows.timesMs()[i], "time of row " + i);
            assertEquals(e.getLabel(), rows.labels()[i], "label of row " + i);
            for (int f = 0; f < features; f++) {
                assertEquals(Double.doubleToLongBits(e.getFeatures().get(f)),
                        Double.doubleToLongBits(rows.rowsRowMajor()[i * features + f]), "row " + i + " feature " + f);
            }
        }
    }
}
