package io.riptide.trigger.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.avro.OpsAlert;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.trigger.OpsRequestHandler;
import io.riptide.trigger.TriggerConfig;
import io.riptide.trigger.metrics.TriggerMetrics;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.OpsReadStore;
import io.riptide.trigger.store.OpsRequestStore;
import io.riptide.trigger.store.TrainingJob;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything the trigger offers ops besides training: the request desk (both request paths, replies on
 * {@code ops.responses}), the read model behind the HTTP API and console, the pipeline watch, the alerts on
 * {@code ops.alerts}, and the trigger's meters. {@code TriggerService} creates one and tells it what happens
 * (examples stored, reports, drift, finished jobs); the HTTP layer (app module) serves it.
 */
public final class OpsSurface implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsSurface.class);

    private final TriggerConfig config;
    private final MeterRegistry meters;
    private final TriggerMetrics metrics;
    private final OpsPublisher publisher;
    private final OpsAlerts alerts;
    private final OpsDesk desk;
    private final OpsQueries queries;
    private final OpsReadStore read;
    private final JobStore jobs;
    private final PipelineWatch watch;
    private final List<KafkaClientMetrics> clientMetrics = new CopyOnWriteArrayList<>();
    private final Thread replier;
    private volatile boolean running;

    public OpsSurface(TriggerConfig config, OpsSettings settings, KafkaClientFactory clients,
                      javax.sql.DataSource dataSource, JobStore jobs, OpsRequestHandler handler, MeterRegistry meters) {
        Clock clock = Clock.systemUTC();
        this.config = config;
        this.meters = meters;
        this.jobs = jobs;
        this.read = new OpsReadStore(dataSource);
        this.metrics = new TriggerMetrics(meters, config.modelKeys(), jobs, read);
        KafkaProducer<String, SpecificRecord> producer = clients.producer("riptide-trigger-ops", null);
        bind(producer);
        this.publisher = new OpsPublisher(producer);
        this.alerts = new OpsAlerts(publisher, metrics, settings.driftAlertMinIntervalMs(), clock);
        this.desk = new OpsDesk(handler, new OpsRequestStore(dataSource), jobs, publisher, metrics, clock);
        this.queries = new OpsQueries(read, config.modelKeys());
        this.watch = new PipelineWatch(settings, clients, config.groupId(), alerts, meters, clock);
        this.replier = new Thread(this::replyLoop, "riptide-trigger-ops-replies");
        this.replier.setDaemon(true);
    }

    /** Registers the Kafka client's metrics ({@code kafka_consumer_*}, {@code kafka_producer_*}) until close. */
    public <C> C bind(C client) {
        KafkaClientMetrics binder;
        if (client instanceof Producer<?, ?> p) {
            binder = new KafkaClientMetrics(p);
        } else if (client instanceof Consumer<?, ?> c) {
            binder = new KafkaClientMetrics(c);
        } else {
            throw new IllegalArgumentException("not a Kafka producer or consumer: " + client);
        }
        binder.bindTo(meters);
        clientMetrics.add(binder);
        return client;
    }

    public void start() {
        running = true;
        replier.start();
        watch.start();
    }

    /** Answers accepted retrains once their jobs finish, also those run by another trigger instance. */
    private void replyLoop() {
        while (running) {
            try {
                desk.completeFinishedJobs();
                Thread.sleep(config.pollIntervalMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("answering finished ops requests failed; retrying: {}", e.toString());
                try {
                    Thread.sleep(config.pollIntervalMs());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public void examplesStored(int count) {
        metrics.examplesStored(count);
    }

    public void performance(PerformanceReport report) {
        metrics.performance(report);
    }

    public void drift(DriftEvent event) {
        metrics.drift(event);
        alerts.drift(event);
    }

    /** A job this instance ran has finished: meters, the JOB_FAILED alert, and the reply to whoever asked for it. */
    public void jobFinished(TrainingJob job, JobStatus status, Duration took) {
        metrics.jobFinished(status, took);
        if (status == JobStatus.SUCCEEDED) {
            metrics.servingChange(job.modelKey(), "PROMOTE", !"manual".equals(job.trigger()));
        }
        if (status == JobStatus.FAILED) {
            String message = read.job(job.id()).map(j -> (String) j.get("message")).orElse("(no message)");
            alerts.jobFailed(job.id(), job.modelKey(), job.trigger(), message);
        }
        try {
            desk.completeFinishedJobs();
        } catch (RuntimeException e) {
            LOG.warn("answering the ops request of job {} failed (the reply loop retries): {}", job.id(), e.toString());
        }
    }

    public OpsDesk desk() {
        return desk;
    }

    public OpsQueries queries() {
        return queries;
    }

    public OpsAlerts alerts() {
        return alerts;
    }

    public PipelineWatch watch() {
        return watch;
    }

    public TriggerMetrics metrics() {
        return metrics;
    }

    /** Whether the database answers {@code SELECT 1} (readiness). */
    public void pingDatabase() {
        read.ping();
    }

    /**
     * {@code GET /api/status} without the HTTP server's own checks: the trigger (its loops, jobs), the stream as
     * the watch sees it, the last prediction per key, and the alerts.
     *
     * @param triggerLoops each consumer loop of the trigger and whether it is alive
     */
    public Map<String, Object> status(Map<String, Boolean> triggerLoops) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("time", Instant.now().toString());
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("groupId", config.groupId());
        trigger.put("modelKeys", config.modelKeys());
        trigger.put("consumerLoops", triggerLoops);
        trigger.put("jobs", jobs.countsByStatus());
        trigger.put("watchAlive", watch.alive());
        status.put("trigger", trigger);
        PipelineWatch.GroupView group = watch.group();
        Map<String, Object> stream = new LinkedHashMap<>();
        stream.put("applicationId", group.applicationId());
        stream.put("groupState", group.state());
        stream.put("members", group.members());
        stream.put("running", group.members() > 0);
        stream.put("lagByTopic", group.lagByTopic());
        stream.put("totalLag", group.totalLag());
        stream.put("lagGrowing", group.lagGrowing());
        stream.put("checkedAt", group.checkedAt());
        stream.put("error", group.error());
        stream.put("predictionsSeen", watch.predictionsSeen());
        Instant last = watch.lastPredictionSeen();
        stream.put("lastPredictionSeenAt", last == null ? null : last.toString());
        status.put("stream", stream);
        status.put("lastPredictions", watch.lastPredictions());
        Map<String, Object> alertView = new LinkedHashMap<>();
        alertView.put("active", alertsView(alerts.active()));
        alertView.put("recent", alertsView(alerts.recent()));
        status.put("alerts", alertView);
        return status;
    }

    static List<Map<String, Object>> alertsView(List<OpsAlert> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (OpsAlert a : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alertId", a.getAlertId());
            m.put("kind", a.getKind().name());
            m.put("severity", a.getSeverity().name());
            m.put("subject", a.getSubject());
            m.put("message", a.getMessage());
            m.put("resolved", a.getResolved());
            m.put("time", Instant.ofEpochMilli(a.getTimeMs()).toString());
            m.put("details", new LinkedHashMap<>(a.getDetails()));
            out.add(m);
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        replier.interrupt();
        try {
            replier.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watch.close();
        publisher.flush();
        publisher.close();
        clientMetrics.forEach(KafkaClientMetrics::close);
    }
}
