package io.riptide.app.feed;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code riptide feed} against a real in-process broker and schema registry. */
class FeedCommandIT {
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
    void simulateAndReplayLandInTheirTopics() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FeedCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("simulate", "--bootstrap-servers", runtime.bootstrapServers(), "--schema-registry",
                runtime.schemaRegistryUrl(), "--start", "2024-08-08T00:00:00Z", "--duration", "5m");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("450 books"), out.toString());

        code = cli.execute("replay", "--bootstrap-servers", runtime.bootstrapServers(), "--schema-registry",
                runtime.schemaRegistryUrl(), "--klines", "../market-feed/src/test/resources/klines/BTCUSDT-1m-2021-04-02.csv");
        assertEquals(0, code, err.toString());

        assertEquals(450, count(Topics.BOOKS.name()));
        assertEquals(120, count(Topics.KLINES.name()), "klines are an input of the stream");
        assertTrue(count(Topics.TRADES.name()) > 5 * 60 * 3, "about two trades a second per instrument");
        assertTrue(heartbeats(Topics.LIQUIDATIONS.name()) > 0, "quiet inputs get heartbeats");
    }

    @Test
    void anUnreachableBrokerIsAOneLineError() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new FeedCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int code = cli.execute("simulate", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry",
                runtime.schemaRegistryUrl(), "--duration", "1m");
        assertEquals(2, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("riptide feed simulate: error: cannot reach Kafka at 127.0.0.1:1"), err.toString());
    }

    /** Records with a value (market records), heartbeats not counted. */
    private static long count(String topic) {
        return records(topic).stream().filter(r -> r.value() != null).count();
    }

    private static long heartbeats(String topic) {
        return records(topic).stream().filter(r -> r.value() == null
                && r.headers().lastHeader(io.riptide.schemas.topics.MarketHeartbeat.HEADER) != null).count();
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> all = new java.util.ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }
}
