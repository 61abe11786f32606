package io.riptide.app.features;

import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.replay.CaptureReplay;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.Topics;
import io.riptide.topology.DriverFeed;
import io.riptide.topology.LiveModels;
import io.riptide.topology.StreamConfig;
import io.riptide.topology.StreamService;
import io.riptide.topology.StreamTopology;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code riptide features --capture} and the stream topology, fed the same recorded Binance events, produce the same
 * feature vectors bit for bit: book, trade-flow and bar features alike.
 */
class CaptureFeaturesEquivalenceTest {
    private static final Path CAPTURE = Path.of("..", "..", "shared", "data", "binance-ws-2024-08-08", "spot");

    @TempDir
    Path stateDir;

    @Test
    void offlineCaptureFeaturesEqualTheStreamsOnRealBinanceData() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(CAPTURE), "skipped: " + CAPTURE.toAbsolutePath()
                + " is absent (the shared recorded data is not beside this checkout)");
        FeatureSet set = FeatureSets.all();
        StringWriter csv = new StringWriter();
        CaptureFeatureWriter offline = new CaptureFeatureWriter(set, csv);
        Heartbeats offlineFeed = Heartbeats.exact(offline, Heartbeats.TRADE_INPUTS);
        new CaptureReplay(List.of(CAPTURE), "BTCUSDT", 20, 0, 0, null).run(offlineFeed);
        offlineFeed.finish();
        String[] rows = csv.toString().split("\n");
        assertTrue(rows.length - 1 >= 8, "bars from ~11 minutes of capture: " + (rows.length - 1));

        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        KafkaSettings kafka = new KafkaSettings("unused:9092", "http://unused", (short) 1, Map.of());
        StreamConfig config = StreamConfig.defaults(kafka, "capture-equivalence", stateDir)
                .withHorizons(List.of(15)).withLiquidationThreshold(1e12).withServing(StreamConfig.Serving.unbatched());
        Properties props = StreamService.streamsProperties(config, new KafkaClientFactory(kafka, registry));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        List<FeatureVector> streamed;
        try (LiveModels models = new LiveModels(set.hash(), set.names());
             TopologyTestDriver driver = new TopologyTestDriver(StreamTopology.build(config, set, models, registry),
                     props)) {
            Heartbeats streamFeed = Heartbeats.exact(new DriverFeed(driver, registry), Heartbeats.TRADE_INPUTS);
            new CaptureReplay(List.of(CAPTURE), "BTCUSDT", 20, 0, 0, null).run(streamFeed);
            streamFeed.finish();
            streamed = driver.createOutputTopic(Topics.FEATURES.name(), new StringDeserializer(),
                    new SerdeFactory(registry).valueSerde(Topics.FEATURES).deserializer()).readValuesToList();
        }

        assertEquals(rows.length - 1, streamed.size(), "one vector per closed bar on both paths");
        int finite = 0;
        for (int r = 1; r < rows.length; r++) {
            String[] cells = rows[r].split(",", -1);
            FeatureVector vector = streamed.get(r - 1);
            assertEquals(Long.parseLong(cells[1]) + 60_000, vector.getTimeMs());
            for (int f = 0; f < set.size(); f++) {
                String cell = cells[3 + f];
                double offlineValue = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
                double streamValue = vector.getValues().get(f);
                assertEquals(Double.doubleToLongBits(offlineValue), Double.doubleToLongBits(streamValue),
                        set.names().get(f) + " of the bar opening at " + cells[1]);
                finite += Double.isNaN(streamValue) ? 0 : 1;
            }
            assertEquals(cells[cells.length - 1], vector.getRegime());
        }
        assertTrue(finite > 200, "enough warm values compared: " + finite);
    }
}
