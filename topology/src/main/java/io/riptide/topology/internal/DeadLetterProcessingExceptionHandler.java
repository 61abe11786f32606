package io.riptide.topology.internal;

import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.registry.HttpSchemaRegistryClient;
import io.riptide.schemas.registry.SchemaRegistryUnavailableException;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * When a processor throws on a record (a bug or an input no validator foresaw), the record's original bytes go to
 * the dead-letter topic with the exception, inside the same transaction, and the stream carries on. A schema
 * registry outage is the exception: the record is fine, so the task fails without committing and the record is read
 * again when Kafka Streams replaces the thread.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {
    /** Streams config key carrying the registry URL to this handler. */
    public static final String REGISTRY_URL_CONFIG = "riptide.schema.registry.url";
    /** Streams config key carrying the dead-letter topic's name (it depends on the topic namespace). */
    public static final String TOPIC_CONFIG = "riptide.deadletter.topic";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

    private AvroWireSerializer<SpecificRecord> serializer;
    private String topic = Topics.DEADLETTER.name();

    @Override
    public void configure(Map<String, ?> configs) {
        Object url = configs.get(REGISTRY_URL_CONFIG);
        if (url == null) {
            throw new IllegalStateException("missing " + REGISTRY_URL_CONFIG + " for the dead-letter handler");
        }
        serializer = new AvroWireSerializer<>(new HttpSchemaRegistryClient(url.toString()), false);
        Object name = configs.get(TOPIC_CONFIG);
        if (name != null) {
            topic = name.toString();
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (isRegistryOutage(exception)) {
            LOG.error("processor {} cannot reach the schema registry on {}-{}@{}; the task fails and the record is "
                    + "read again", context.processorNodeId(), context.topic(), context.partition(), context.offset());
            return Response.fail();
        }
        LOG.error("processor {} failed on {}-{}@{}; record dead-lettered", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception);
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(context.topic() == null ? "(punctuation)" : context.topic())
                .setPartition(context.partition()).setOffset(context.offset()).setTimestampMs(context.timestamp())
                .setKey(context.sourceRawKey() == null ? null : ByteBuffer.wrap(context.sourceRawKey()))
                .setValue(context.sourceRawValue() == null ? null : ByteBuffer.wrap(context.sourceRawValue()))
                .setStage(context.processorNodeId()).setError(String.valueOf(exception.getMessage()))
                .setErrorClass(exception.getClass().getName()).setDeadLetteredAtMs(System.currentTimeMillis())
                .build();
        byte[] key = context.processorNodeId().getBytes(StandardCharsets.UTF_8);
        return Response.resume(List.of(new ProducerRecord<>(topic, key, serializer.serialize(topic, letter))));
    }

    static boolean isRegistryOutage(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
