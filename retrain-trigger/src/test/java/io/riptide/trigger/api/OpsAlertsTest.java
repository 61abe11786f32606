package io.riptide.trigger.api;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.OpsAlert;
import io.riptide.schemas.avro.OpsAlertKind;
import io.riptide.schemas.avro.Severity;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.metrics.TriggerMetrics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alerts on ops.alerts: conditions once when they start and once when they clear; drift rate-limited per key. */
class OpsAlertsTest {
    private final MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null,
            new StringSerializer(), (topic, value) -> new byte[0]);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TriggerMetrics metrics = new TriggerMetrics(meters, List.of("liquidation-15m"), null, null);

    private List<OpsAlert> sent() {
        return producer.history().stream().filter(r -> r.topic().equals(Topics.OPS_ALERTS.name()))
                .map(ProducerRecord::value).map(OpsAlert.class::cast).toList();
    }

    @Test
    void aConditionAlertsWhenItStartsAndResolvesWhenItClears() {
        OpsAlerts alerts = new OpsAlerts(new OpsPublisher(producer), metrics, 0, Clock.systemUTC());
        for (boolean holds : new boolean[]{false, true, true, true, false, false}) {
            alerts.condition(OpsAlertKind.NO_PREDICTIONS, "stream", holds, Severity.CRITICAL, "quiet", Map.of());
        }
        List<OpsAlert> sent = sent();
        assertEquals(2, sent.size(), sent.toString());
        assertEquals(false, sent.get(0).getResolved());
        assertEquals(true, sent.get(1).getResolved());
        assertTrue(sent.get(1).getMessage().contains("was: quiet"));
        assertEquals("stream", producer.history().get(0).key());
        assertTrue(alerts.active().isEmpty());
        assertEquals(1.0, meters.get("riptide.ops.alerts").tag("kind", "NO_PREDICTIONS").counter().count());
    }

    @Test
    void criticalDriftAlertsAtMostOncePerKeyPerInterval() {
        long[] now = {1_000_000};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        OpsAlerts alerts = new OpsAlerts(new OpsPublisher(producer), metrics, 60_000, clock);
        alerts.drift(drift(Severity.WARNING));
        alerts.drift(drift(Severity.CRITICAL));
        now[0] += 30_000;
        alerts.drift(drift(Severity.CRITICAL));
        now[0] += 31_000;
        alerts.drift(drift(Severity.CRITICAL));
        List<OpsAlert> sent = sent();
        assertEquals(2, sent.size(), sent.toString());
        assertEquals(OpsAlertKind.CRITICAL_DRIFT, sent.get(0).getKind());
        assertEquals("liquidation-15m", sent.get(0).getSubject());
        assertEquals("score", sent.get(0).getDetails().get("subject"));
    }

    @Test
    void anAutomaticRollbackIsCountedAsAutomatic() {
        OpsAlerts alerts = new OpsAlerts(new OpsPublisher(producer), metrics, 0, Clock.systemUTC());
        alerts.automaticRollback("liquidation-15m", 5, 4, "live AUC 0.52 below the validated 0.61");
        assertEquals(OpsAlertKind.AUTOMATIC_ROLLBACK, sent().get(0).getKind());
        assertEquals(1.0, meters.get("riptide.model.serving.changes").tags("model_key", "liquidation-15m",
                "action", "ROLLBACK", "automatic", "true").counter().count());
    }

    private static DriftEvent drift(Severity severity) {
        return DriftEvent.newBuilder().setEventId("e" + System.nanoTime()).setTimeMs(0).setModelKey("liquidation-15m")
                .setModelVersion(3).setDetector("PSI").setSubject("score").setStatistic(0.5).setThreshold(0.33)
                .setSeverity(severity).setWindowSize(120).build();
    }
}
