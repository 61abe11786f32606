package io.riptide.app.demo;

import io.riptide.app.poison.PoisonRecords;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.topics.TopicNamespace;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends one bad record of every kind the poison bench knows ({@link PoisonRecords}: garbage, an unknown schema id,
 * length bombs, NaN and negative values, a crossed book, far-future and late times, a 1 MB value, null and wrong
 * keys, bad heartbeats, ...), so the demo shows them dead-lettered with reasons while the stream keeps predicting.
 */
final class PoisonInjector {
    private PoisonInjector() {
    }

    /**
     * @param instruments at least two of the demo's instruments (wrong keys are another instrument's)
     * @param eventTimeMs the market's time now: bad records are dated in the minute before it, late ones a day earlier
     * @return how many bad records were sent
     */
    static int inject(KafkaClientFactory clients, List<String> instruments, long eventTimeMs, long seed) {
        PoisonRecords poison = new PoisonRecords(new AvroWireSerializer<>(clients.registry(), false),
                TopicNamespace.NONE, instruments, seed);
        List<PoisonRecords.Poison> records = poison.oneOfEach(eventTimeMs - 60_000, eventTimeMs, eventTimeMs - 60_000);
        Map<String, Object> props = new HashMap<>(clients.commonProperties("riptide-demo-poison"));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * PoisonRecords.HUGE_BYTES);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            records.forEach(p -> producer.send(p.record()));
            producer.flush();
        }
        return records.size();
    }
}
