package io.riptide.trigger.internal;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trigger consumer loop on the real broker: undecodable records are dead-lettered and the loop reads on. */
class ConsumerLoopIT {
    private static PerformanceReport report(String id) {
        return PerformanceReport.newBuilder().setReportId(id).setTimeMs(1_000).setModelKey("liquidation-15m")
                .setModelVersion(1).setWindowStartMs(0).setWindowEndMs(1_000).setN(120).setPositives(20)
                .setAuc(0.7).setF1(0.4).setPrecision(0.5).setRecall(0.4).setBrier(0.1).setLogLoss(0.3).build();
    }

    @Test
    void undecodableRecordsGoToTheDeadLetterSinkWithTheirBytesAndTheLoopReadsOnPastThem() throws Exception {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start()) {
            KafkaClientFactory clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(),
                    runtime.schemaRegistryUrl(), (short) 1, Map.of()));
            String topic = Topics.PERFORMANCE.name();
            byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
            byte[] unknownSchema = {0, 0, 0x0F, 0x42, 0x3F, 1, 2, 3}; // magic byte, schema id 999999, some bytes
            try (KafkaProducer<String, SpecificRecord> avro = clients.producer("it-avro", null);
                 KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()),
                         new StringSerializer(), new ByteArraySerializer())) {
                avro.send(new ProducerRecord<>(topic, 0, "k", report("first"))).get();
                raw.send(new ProducerRecord<>(topic, 0, "k", garbage)).get();
                raw.send(new ProducerRecord<>(topic, 0, "k", unknownSchema)).get();
                avro.send(new ProducerRecord<>(topic, 0, "k", report("second"))).get();
            }
            List<String> seen = new CopyOnWriteArrayList<>();
            List<DeadLetter> letters = new CopyOnWriteArrayList<>();
            try (ConsumerLoop<PerformanceReport> loop = new ConsumerLoop<>("it-loop",
                    clients.consumer("it-group", Topics.PERFORMANCE), topic,
                    batch -> batch.forEach(r -> seen.add(r.value().getReportId())), letters::add)) {
                loop.start();
                long deadline = System.currentTimeMillis() + 30_000;
                while ((seen.size() < 2 || letters.size() < 2) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(List.of("first", "second"), seen, "the valid records around the bad ones are handled");
                assertEquals(2, letters.size(), "dead letters: " + letters);
                assertTrue(loop.alive(), "the loop goes on");
                assertEquals(2, loop.deadLettered());
            }
            assertEquals(List.of(1L, 2L), letters.stream().map(DeadLetter::getOffset).toList());
            assertTrue(letters.get(0).getError().startsWith("cannot decode: "), letters.get(0).getError());
            assertTrue(letters.get(1).getError().contains("unknown schema id 999999"), letters.get(1).getError());
            assertEquals(ByteBuffer.wrap(garbage), letters.get(0).getValue());
            assertEquals(ByteBuffer.wrap(unknownSchema), letters.get(1).getValue());
            assertEquals(topic, letters.get(0).getSourceTopic());
            assertEquals("it-loop", letters.get(0).getStage());
        }
    }
}
