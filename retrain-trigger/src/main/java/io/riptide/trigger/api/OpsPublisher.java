package io.riptide.trigger.api;

import io.riptide.schemas.avro.OpsAlert;
import io.riptide.schemas.avro.OpsResponse;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends replies to {@code ops.responses} (key = request id) and alerts to {@code ops.alerts} (key = subject) with an
 * idempotent producer. Neither is part of a model publication, so no transaction: a reply is sent once the decision
 * is committed to PostgreSQL, and a failed send is logged (the decision itself stays in {@code ops_requests}).
 */
public final class OpsPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsPublisher.class);

    private final Producer<String, SpecificRecord> producer;

    public OpsPublisher(Producer<String, SpecificRecord> producer) {
        this.producer = producer;
    }

    public void reply(OpsResponse response) {
        producer.send(new ProducerRecord<>(Topics.OPS_RESPONSES.name(), response.getRequestId(), response),
                (metadata, e) -> {
                    if (e != null) {
                        LOG.error("reply {} {} to ops request {} not sent: {}", response.getStatus(),
                                response.getMessage(), response.getRequestId(), e.toString());
                    }
                });
    }

    public void alert(OpsAlert alert) {
        producer.send(new ProducerRecord<>(Topics.OPS_ALERTS.name(), alert.getSubject(), alert), (metadata, e) -> {
            if (e != null) {
                LOG.error("alert {} {} not sent: {}", alert.getKind(), alert.getMessage(), e.toString());
            }
        });
    }

    /** Sends what is buffered now. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
