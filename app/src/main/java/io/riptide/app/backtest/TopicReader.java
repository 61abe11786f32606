package io.riptide.app.backtest;

import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads everything committed to a topic, as a trading service would (read_committed), from the beginning. */
final class TopicReader {
    private TopicReader() {
    }

    static <V extends SpecificRecord> List<V> readAll(KafkaClientFactory clients, Topic<V> topic) {
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = clients.consumer("bt-reader-" + topic.name(), topic)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic.name() + " did not finish in 5 minutes");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null) {
                        out.add(r.value());
                    }
                });
            }
        }
        return out;
    }
}
