package io.riptide.trigger.api;

import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.OpsAlert;
import io.riptide.schemas.avro.OpsAlertKind;
import io.riptide.schemas.avro.Severity;
import io.riptide.trigger.metrics.TriggerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ops alerts of docs/OPS.md, sent to {@code ops.alerts} and counted in {@code riptide_ops_alerts_total}: the
 * same conditions as the Prometheus rules of deploy/prometheus/alerts.yml. Events (a job failed, critical drift, an
 * automatic rollback) are sent when they happen; conditions (stream not running, lag growing, no predictions) when
 * they start and, with {@code resolved = true}, when they clear.
 */
public final class OpsAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(OpsAlerts.class);
    private static final int RECENT = 50;

    private final OpsPublisher publisher;
    private final TriggerMetrics metrics;
    private final long driftMinIntervalMs;
    private final Clock clock;
    private final Map<String, Long> lastDriftAlertMs = new ConcurrentHashMap<>();
    private final Map<String, OpsAlert> firing = new ConcurrentHashMap<>();
    private final Deque<OpsAlert> recent = new ArrayDeque<>();

    public OpsAlerts(OpsPublisher publisher, TriggerMetrics metrics, long driftMinIntervalMs, Clock clock) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.driftMinIntervalMs = driftMinIntervalMs;
        this.clock = clock;
    }

    public void jobFailed(long jobId, String modelKey, String trigger, String message) {
        send(OpsAlertKind.JOB_FAILED, Severity.CRITICAL, modelKey, "job " + jobId + " (" + trigger + ") for "
                + modelKey + " failed: " + message, false, Map.of("jobId", Long.toString(jobId), "trigger", trigger));
    }

    /** A CRITICAL drift event alerts, at most once per key every {@code ops.alerts.drift.min.interval.ms}. */
    public void drift(DriftEvent event) {
        if (event.getSeverity() != Severity.CRITICAL) {
            return;
        }
        long now = clock.millis();
        Long last = lastDriftAlertMs.get(event.getModelKey());
        if (last != null && now - last < driftMinIntervalMs) {
            return;
        }
        lastDriftAlertMs.put(event.getModelKey(), now);
        send(OpsAlertKind.CRITICAL_DRIFT, Severity.CRITICAL, event.getModelKey(), String.format(
                "%s of %s for %s v%d is %.3f (critical from %.3f)", event.getDetector(), event.getSubject(),
                event.getModelKey(), event.getModelVersion(), event.getStatistic(), event.getThreshold()), false,
                Map.of("detector", event.getDetector(), "subject", event.getSubject(),
                        "statistic", Double.toString(event.getStatistic()),
                        "version", Integer.toString(event.getModelVersion())));
    }

    /**
     * A production version rolled back without a person asking (live metrics below the validated level). The
     * lifecycle code that decides such rollbacks calls this; it is counted in
     * {@code riptide_model_serving_changes_total{automatic="true"}} too.
     */
    public void automaticRollback(String modelKey, int fromVersion, int toVersion, String reason) {
        metrics.servingChange(modelKey, "ROLLBACK", true);
        send(OpsAlertKind.AUTOMATIC_ROLLBACK, Severity.WARNING, modelKey, modelKey + " rolled back automatically from v"
                + fromVersion + " to v" + toVersion + ": " + reason, false,
                Map.of("fromVersion", Integer.toString(fromVersion), "toVersion", Integer.toString(toVersion)));
    }

    /**
     * The trigger promoted a shadow to production, or retired it, on its live outcomes ({@code ShadowReview}): INFO,
     * since nothing is wrong, but what serves a key changed (a promotion) or a retrain came to nothing (a retirement).
     */
    public void shadowDecided(String modelKey, int shadowVersion, boolean promoted, String reason) {
        if (promoted) {
            metrics.servingChange(modelKey, "PROMOTE", true);
        }
        send(OpsAlertKind.SHADOW_DECIDED, Severity.INFO, modelKey, modelKey + " shadow v" + shadowVersion
                + (promoted ? " promoted to production: " : " retired: ") + reason, false,
                Map.of("version", Integer.toString(shadowVersion), "decision", promoted ? "PROMOTE" : "RETIRE"));
    }

    /** A condition observed now: alerts when it starts, resolves when it clears, silent otherwise. */
    public void condition(OpsAlertKind kind, String subject, boolean holds, Severity severity, String message,
                          Map<String, String> details) {
        String id = kind + "|" + subject;
        if (holds && !firing.containsKey(id)) {
            firing.put(id, send(kind, severity, subject, message, false, details));
        } else if (!holds && firing.containsKey(id)) {
            OpsAlert was = firing.remove(id);
            send(kind, Severity.INFO, subject, "cleared (was: " + was.getMessage() + ")", true, details);
        }
    }

    /** Conditions that hold now. */
    public List<OpsAlert> active() {
        return new ArrayList<>(firing.values());
    }

    /** The latest alerts sent, newest first. */
    public synchronized List<OpsAlert> recent() {
        return new ArrayList<>(recent);
    }

    private OpsAlert send(OpsAlertKind kind, Severity severity, String subject, String message, boolean resolved,
                          Map<String, String> details) {
        OpsAlert alert = OpsAlert.newBuilder().setAlertId(UUID.randomUUID().toString()).setKind(kind)
                .setSeverity(severity).setSubject(subject).setMessage(message).setResolved(resolved)
                .setTimeMs(clock.millis()).setDetails(new LinkedHashMap<>(details)).build();
        if (resolved) {
            LOG.info("ops alert {} {}: {}", kind, subject, message);
        } else {
            LOG.warn("ops alert {} {}: {}", kind, subject, message);
            metrics.alert(kind.name());
        }
        publisher.alert(alert);
        synchronized (this) {
            recent.addFirst(alert);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        return alert;
    }
}
