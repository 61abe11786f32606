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
    private volatile boolean closed;

    public OpsPublisher(Producer<String, SpecificRecord> producer) {
        this.producer = producer;
    }

    public void reply(OpsResponse response) {
        send(new ProducerRecord<>(Topics.OPS_RESPONSES.name(), response.getRequestId(), response),
                "reply " + response.getStatus() + " to ops request " + response.getRequestId());
    }

    public void alert(OpsAlert alert) {
        send(new ProducerRecord<>(Topics.OPS_ALERTS.name(), alert.getSubject(), alert),
                "alert " + alert.getKind() + " " + alert.getMessage());
    }

    private void send(ProducerRecord<String, SpecificRecord> record, String what) {
        if (closed) {
            LOG.warn("{} not sent: the trigger is shutting down", what);
            return;
        }
        try {
            producer.send(record, (metadata, e) -> {
                if (e != null) {
                    LOG.error("{} not sent: {}", what, e.toString());
                }
            });
        } catch (RuntimeException e) {
            // a reply or an alert must never stop the consumer loop or the job that produced it
            LOG.error("{} not sent: {}", what, e.toString());
        }
    }

    /** Sends what is buffered now. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        closed = true;
        producer.close();
    }
}
