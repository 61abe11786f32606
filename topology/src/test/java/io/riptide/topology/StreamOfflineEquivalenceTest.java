package io.riptide.topology;

import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.features.offline.KlineFeatureWriter;
import io.riptide.feed.Heartbeats;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.serving.RiskLevels;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.serde.SerdeFactory;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One code path online and offline: real BTCUSDT klines through the offline writer ({@code riptide features}) and
 * the same bars, as trades, through the stream topology give bit-identical bar features.
 */
class StreamOfflineEquivalenceTest {
    private static final String INSTRUMENT = "BINANCE:BTCUSDT";
    /** Need trade data a kline does not carry (VWAP, taker-buy volume), so they differ by construction. */
    private static final List<String> TRADE_DERIVED = List.of("vwap_20", "taker_buy_ratio");

    @TempDir
    Path stateDir;

    @Test
    void theStreamComputesExactlyTheOfflineBarFeatures() throws Exception {
        List<double[]> klines = klines();
        StringBuilder csv = new StringBuilder("open_time_ms,open,high,low,close,volume\n");
        klines.forEach(k -> csv.append((long) k[0]).append(',').append(k[1]).append(',').append(k[2]).append(',')
                .append(k[3]).append(',').append(k[4]).append(',').append(k[5]).append('\n'));
        StringWriter offlineCsv = new StringWriter();
        new KlineFeatureWriter(FeatureSets.barIndicators(), 1_000_000).write(new StringReader(csv.toString()),
                offlineCsv, null);
        Map<Long, Map<String, Double>> offline = parse(offlineCsv.toString());

        FeatureSet streamSet = FeatureSets.all(); // the stream can serve any set; all() holds every bar feature
        Map<Long, FeatureVector> online = new HashMap<>();
        for (FeatureVector v : runThroughTopology(klines, streamSet)) {
            online.put(v.getTimeMs() - 60_000, v);
        }
        assertEquals(klines.size() - 1, online.size(), "every bar but the still-open last one");

        List<String> compared = new ArrayList<>();
        for (String name : FeatureSets.barIndicators().names()) {
            // regime_code: the CSV carries the regime's name instead; the stream's regime is compared below
            if (streamSet.indexOf(name) >= 0 && !TRADE_DERIVED.contains(name) && !name.equals("regime_code")) {
                compared.add(name);
            }
        }
        assertEquals(FeatureSets.barIndicators().size() - 3, compared.size(), "compared " + compared);
        int warmValues = 0;
        for (Map.Entry<Long, FeatureVector> bar : online.entrySet()) {
            Map<String, Double> expected = offline.get(bar.getKey());
            for (String name : compared) {
                double streamed = bar.getValue().getValues().get(streamSet.indexOf(name));
                double computedOffline = expected.get(name);
                assertEquals(Double.doubleToLongBits(computedOffline), Double.doubleToLongBits(streamed),
                        name + " at " + bar.getKey() + ": offline " + computedOffline + ", stream " + streamed);
                warmValues += Double.isNaN(streamed) ? 0 : 1;
            }
            String regime = bar.getValue().getRegime();
            assertEquals(1.0, expected.get("regime:" + (regime.equals("unknown") ? "" : regime)),
                    "regime at " + bar.getKey() + ": stream " + bar.getValue().getRegime());
        }
        assertTrue(warmValues > compared.size() * 200, "most compared values are past warm-up: " + warmValues);
    }

    private List<FeatureVector> runThroughTopology(List<double[]> klines, FeatureSet set) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        KafkaSettings kafka = new KafkaSettings("unused:9092", "http://unused", (short) 1, Map.of());
        StreamConfig config = StreamConfig.defaults(kafka, "equivalence", stateDir).withHorizons(List.of(15))
                .withLiquidationThreshold(1e12).withServing(StreamConfig.Serving.unbatched());
        Properties props = StreamService.streamsProperties(config, new KafkaClientFactory(kafka, registry));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        try (LiveModels models = new LiveModels(set.hash(), set.names());
             TopologyTestDriver driver = new TopologyTestDriver(
                     StreamTopology.build(config, set, models, registry), props)) {
            Heartbeats feed = Heartbeats.exact(new DriverFeed(driver, registry), Heartbeats.TRADE_INPUTS);
            for (double[] k : klines) {
                // open, high, low, close; a quarter of the volume each (volumes are multiples of 1/64: exact sums)
                double[] prices = {k[1], k[2], k[3], k[4]};
                for (int i = 0; i < 4; i++) {
                    long t = (long) k[0] + i * 15_000L;
                    feed.onTrade(Trade.newBuilder().setInstrument(INSTRUMENT).setExchangeTimeMs(t)
                            .setPrice(prices[i]).setQty(k[5] / 4).setAggressorSide(i % 2 == 0 ? Side.BUY : Side.SELL)
                            .setTradeId(t + "-" + i).build());
                }
            }
            return driver.createOutputTopic(Topics.FEATURES.name(), new StringDeserializer(),
                    new SerdeFactory(registry).valueSerde(Topics.FEATURES).deserializer()).readValuesToList();
        }
    }

    /** The slice's klines with volumes rounded to 1/64, so splitting a bar into four trades sums back exactly. */
    private static List<double[]> klines() throws Exception {
        List<double[]> rows = new ArrayList<>();
        try (InputStream in = StreamOfflineEquivalenceTest.class
                .getResourceAsStream("/btcusdt-1m-2021-04-02-first300.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].trim().split(",");
                double volume = Math.max(1, Math.round(Double.parseDouble(f[5]) * 64)) / 64.0;
                rows.add(new double[]{Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), volume});
            }
        }
        return rows;
    }

    private static Map<Long, Map<String, Double>> parse(String csv) {
        String[] lines = csv.split("\n");
        String[] header = lines[0].split(",");
        Map<Long, Map<String, Double>> rows = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            Map<String, Double> row = new HashMap<>();
            for (int c = 0; c < header.length; c++) {
                if (header[c].equals("regime")) {
                    row.put("regime:" + f[c], 1.0);
                    continue;
                }
                row.put(header[c], f[c].isEmpty() ? Double.NaN : Double.parseDouble(f[c]));
            }
            rows.put(Long.parseLong(f[0]), row);
        }
        return rows;
    }
}
