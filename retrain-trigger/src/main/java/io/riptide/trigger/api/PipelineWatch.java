package io.riptide.trigger.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.OpsAlertKind;
import io.riptide.schemas.avro.Severity;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trigger's view of the pipeline, for {@code GET /api/status}, the {@code riptide_pipeline_*} gauges and the
 * pipeline alerts: the stream application's consumer group (members, state), its lag per input topic (committed
 * offsets against the last stable offsets), and the last prediction of every model key (read from
 * {@code predictions.liquidation} without joining a group or committing). It needs nothing from the stream but
 * Kafka, so it reports a stream that is down, which the stream's own metrics cannot.
 */
public final class PipelineWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineWatch.class);
    private static final int REPLAYED_PER_PARTITION = 20;

    /** One look at the stream's consumer group. */
    public record GroupView(String applicationId, String state, int members, Map<String, Long> lagByTopic,
                            long totalLag, boolean lagGrowing, String checkedAt, String error) {
    }

    private final OpsSettings settings;
    private final OpsAlerts alerts;
    private final Clock clock;
    private final Admin admin;
    private final KafkaConsumer<String, LiquidationRisk> predictions;
    private final Thread thread;
    private final Map<String, Map<String, Object>> lastPrediction = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lagGauges = new ConcurrentHashMap<>();
    private final Deque<Long> lagHistory = new ArrayDeque<>();
    private final MeterRegistry meters;
    private final long startedAtMs;
    private volatile long lastPredictionSeenMs;
    private volatile long predictionsSeen;
    private volatile GroupView group;
    private volatile boolean running = true;
    private int notRunningChecks;

    public PipelineWatch(OpsSettings settings, KafkaClientFactory clients, String groupId, OpsAlerts alerts,
                         MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.alerts = alerts;
        this.clock = clock;
        this.meters = meters;
        this.startedAtMs = clock.millis();
        this.lastPredictionSeenMs = startedAtMs;
        this.group = new GroupView(settings.streamApplicationId(), "UNKNOWN", 0, Map.of(), 0, false, null,
                "not checked yet");
        this.admin = clients.admin("riptide-trigger-watch");
        this.predictions = clients.consumer(groupId + "-watch", Topics.PREDICTIONS_LIQUIDATION);
        this.thread = new Thread(this::run, "riptide-trigger-watch");
        this.thread.setDaemon(true);
        Gauge.builder("riptide.pipeline.stream.members", () -> group.members())
                .description("members of the stream application's consumer group, as the trigger sees it")
                .register(meters);
        TimeGauge.builder("riptide.pipeline.last.prediction.age", () -> clock.millis() - lastPredictionSeenMs,
                        TimeUnit.MILLISECONDS)
                .description("time since the trigger last saw a prediction (since its start when none)")
                .register(meters);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            long nextCheck = 0;
            boolean assigned = false;
            while (running) {
                if (!assigned) {
                    assigned = assignPredictions();
                }
                if (assigned) {
                    for (ConsumerRecord<String, LiquidationRisk> r : predictions.poll(Duration.ofMillis(250))) {
                        seen(r.value());
                    }
                } else {
                    Thread.sleep(250);
                }
                long now = clock.millis();
                if (now >= nextCheck) {
                    check(now);
                    nextCheck = now + settings.watchIntervalMs();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("pipeline watch stopped: {}", e.toString(), e);
            }
        } finally {
            predictions.close(Duration.ofSeconds(5));
        }
    }

    /** Reads predictions from a little before the end, so the status shows the latest at once after a restart. */
    private boolean assignPredictions() {
        List<TopicPartition> partitions = new ArrayList<>();
        predictions.partitionsFor(Topics.PREDICTIONS_LIQUIDATION.name(), Duration.ofSeconds(5))
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        if (partitions.isEmpty()) {
            return false;
        }
        predictions.assign(partitions);
        Map<TopicPartition, Long> end = predictions.endOffsets(partitions);
        Map<TopicPartition, Long> begin = predictions.beginningOffsets(partitions);
        for (TopicPartition tp : partitions) {
            predictions.seek(tp, Math.max(begin.get(tp), end.get(tp) - REPLAYED_PER_PARTITION));
        }
        return true;
    }

    private void seen(LiquidationRisk p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("modelKey", p.getModelKey());
        view.put("instrument", p.getInstrument());
        view.put("time", Instant.ofEpochMilli(p.getTimeMs()).toString());
        view.put("timeMs", p.getTimeMs());
        view.put("horizonMinutes", p.getHorizonMinutes());
        view.put("probability", p.getProbability());
        view.put("riskLevel", p.getRiskLevel().name());
        view.put("modelVersion", p.getModelVersion());
        view.put("servedBy", p.getServedBy());
        view.put("fallbackLevel", p.getFallbackLevel());
        view.put("seenAt", Instant.ofEpochMilli(clock.millis()).toString());
        lastPrediction.put(p.getModelKey(), view);
        lastPredictionSeenMs = clock.millis();
        predictionsSeen++;
    }

    private void check(long now) {
        String appId = settings.streamApplicationId();
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(appId)).all()
                    .get(10, TimeUnit.SECONDS).get(appId);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<String, Long> lag = new TreeMap<>();
            if (!latest.isEmpty()) {
                var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(10, TimeUnit.SECONDS);
                committed.forEach((tp, offset) -> {
                    if (offset != null && ends.containsKey(tp)) {
                        lag.merge(tp.topic(), Math.max(0, ends.get(tp).offset() - offset.offset()), Long::sum);
                    }
                });
            }
            long total = lag.values().stream().mapToLong(Long::longValue).sum();
            lag.forEach((topic, value) -> lagGauges.computeIfAbsent(topic, t -> {
                AtomicLong holder = new AtomicLong();
                Gauge.builder("riptide.pipeline.consumer.lag", holder, AtomicLong::get)
                        .description("records the stream application has yet to process, per input topic")
                        .tags("group", appId, "topic", t).register(meters);
                return holder;
            }).set(value));
            boolean growing = growing(total);
            String state = d.groupState().toString().toUpperCase();
            group = new GroupView(appId, state, d.members().size(), lag, total, growing,
                    Instant.ofEpochMilli(now).toString(), null);
            notRunningChecks = d.members().isEmpty() ? notRunningChecks + 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                // no instance has ever joined (or the group expired): not running, and not an error of the watch
                group = new GroupView(appId, "NOT_FOUND", 0, Map.of(), 0, false, Instant.ofEpochMilli(now).toString(),
                        null);
            } else {
                failed(appId, now, e.getCause() != null ? e.getCause().toString() : e.toString());
            }
            notRunningChecks++;
        } catch (Exception e) {
            failed(appId, now, e.toString());
            notRunningChecks++;
        }
        raiseOrClear(appId, now);
    }

    private void failed(String appId, long now, String error) {
        group = new GroupView(appId, "UNKNOWN", 0, Map.of(), 0, false, Instant.ofEpochMilli(now).toString(), error);
        LOG.warn("pipeline watch: cannot describe the stream group {}: {}", appId, error);
    }

    private void raiseOrClear(String appId, long now) {
        GroupView g = group;
        alerts.condition(OpsAlertKind.STREAM_NOT_RUNNING, "stream", notRunningChecks >= 2, Severity.CRITICAL,
                "stream application " + appId + " has no running member (group " + g.state() + ")",
                Map.of("group", appId, "state", g.state()));
        alerts.condition(OpsAlertKind.CONSUMER_LAG_GROWING, "stream", g.lagGrowing(), Severity.WARNING,
                "stream application " + appId + " lag grew on " + settings.lagGrowthChecks() + " checks in a row to "
                        + g.totalLag() + " records", Map.of("group", appId, "lag", Long.toString(g.totalLag())));
        long quietMs = now - lastPredictionSeenMs;
        alerts.condition(OpsAlertKind.NO_PREDICTIONS, "stream", quietMs >= settings.noPredictionsMs(),
                Severity.CRITICAL, "no prediction on " + Topics.PREDICTIONS_LIQUIDATION.name() + " for "
                        + quietMs / 1000 + " s", Map.of("topic", Topics.PREDICTIONS_LIQUIDATION.name()));
    }

    /** Lag rose on the last {@code lagGrowthChecks} checks in a row and is at least {@code lagMinRecords}. */
    private boolean growing(long total) {
        lagHistory.addLast(total);
        while (lagHistory.size() > settings.lagGrowthChecks() + 1) {
            lagHistory.removeFirst();
        }
        if (lagHistory.size() <= settings.lagGrowthChecks() || total < settings.lagMinRecords()) {
            return false;
        }
        Long previous = null;
        for (long value : lagHistory) {
            if (previous != null && value <= previous) {
                return false;
            }
            previous = value;
        }
        return true;
    }

    public GroupView group() {
        return group;
    }

    /** The last prediction seen per model key, sorted by key. */
    public Map<String, Map<String, Object>> lastPredictions() {
        return new TreeMap<>(lastPrediction);
    }

    public long predictionsSeen() {
        return predictionsSeen;
    }

    public Instant lastPredictionSeen() {
        return lastPredictionSeenMs == startedAtMs && predictionsSeen == 0 ? null
                : Instant.ofEpochMilli(lastPredictionSeenMs);
    }

    public boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        predictions.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
