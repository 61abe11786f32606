package io.riptide.schemas.topics;

import io.riptide.schemas.avro.Alert;
import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.LiquidationRisk;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.OpsAlert;
import io.riptide.schemas.avro.OpsResponse;
import io.riptide.schemas.avro.Outcome;
import io.riptide.schemas.avro.PatternOutcome;
import io.riptide.schemas.avro.PatternSignal;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.avro.TrainingJobEvent;

import java.util.List;
import java.util.Map;

/**
 * Every topic of DESIGN.md, immutable. Keys are strings: the instrument id for market, feature and prediction
 * topics, the model key for monitoring and ops topics, and {@code modelKey|ROLE} for {@link #MODEL_VERSIONS}.
 *
 * <p>Every topic is created with {@code message.timestamp.type=LogAppendTime}: the broker stamps each record with
 * the time it was appended, and time-based retention counts from there. Event time travels in each payload
 * ({@code exchangeTimeMs}, {@code timeMs}, ...), so a replay of 2021 trades is kept as long as a live trade, instead
 * of being deleted by the next retention check while a consumer still needs it. Consumers must therefore take
 * event time from the payload, never from the record timestamp.
 */
public final class Topics {
    /** Model artifacts travel inline up to this size (gzip), so the topic must accept at least that much. */
    public static final int MODEL_VERSIONS_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final int MARKET_PARTITIONS = 3;
    /** See the class comment: retention counts from ingestion, event time is in the payload. */
    public static final Map<String, String> APPEND_TIME = Map.of("message.timestamp.type", "LogAppendTime");

    public static final Topic<Trade> TRADES = topic("market.trades", MARKET_PARTITIONS, Map.of(), Trade.class);
    public static final Topic<BookSnapshot> BOOKS = topic("market.book", MARKET_PARTITIONS, Map.of(), BookSnapshot.class);
    public static final Topic<Liquidation> LIQUIDATIONS =
            topic("market.liquidations", MARKET_PARTITIONS, Map.of(), Liquidation.class);
    /** Recorded 1-minute klines as an input: the bars of a kline-driven instrument (docs/TOPOLOGY.md). */
    public static final Topic<Bar> KLINES = topic("market.klines", MARKET_PARTITIONS, Map.of(), Bar.class);
    public static final Topic<Bar> BARS_1M = topic("market.bars.1m", MARKET_PARTITIONS, Map.of(), Bar.class);
    public static final Topic<FeatureVector> FEATURES =
            topic("features", MARKET_PARTITIONS, Map.of(), FeatureVector.class);
    public static final Topic<LiquidationRisk> PREDICTIONS_LIQUIDATION =
            topic("predictions.liquidation", MARKET_PARTITIONS, Map.of(), LiquidationRisk.class);
    public static final Topic<PatternSignal> PREDICTIONS_PATTERN =
            topic("predictions.pattern", MARKET_PARTITIONS, Map.of(), PatternSignal.class);
    public static final Topic<LiquidationRisk> PREDICTIONS_SHADOW =
            topic("predictions.shadow", MARKET_PARTITIONS, Map.of(), LiquidationRisk.class);
    public static final Topic<Alert> ALERTS = topic("alerts", MARKET_PARTITIONS, Map.of(), Alert.class);
    public static final Topic<Outcome> OUTCOMES = topic("outcomes", MARKET_PARTITIONS, Map.of(), Outcome.class);
    public static final Topic<PatternOutcome> PATTERN_OUTCOMES =
            topic("outcomes.pattern", MARKET_PARTITIONS, Map.of(), PatternOutcome.class);
    public static final Topic<LabeledExample> TRAINING_EXAMPLES =
            topic("training.examples", MARKET_PARTITIONS, Map.of(), LabeledExample.class);
    public static final Topic<DriftEvent> DRIFT = topic("monitoring.drift", 1, Map.of(), DriftEvent.class);
    public static final Topic<PerformanceReport> PERFORMANCE =
            topic("monitoring.performance", 1, Map.of(), PerformanceReport.class);
    public static final Topic<RetrainRequest> RETRAIN_REQUESTS =
            topic("ops.retrain-requests", 1, Map.of(), RetrainRequest.class);
    public static final Topic<TrainingJobEvent> TRAINING_JOBS =
            topic("ops.training-jobs", 1, Map.of(), TrainingJobEvent.class);
    /** The answer to each ops request, keyed by request id: accepted or refused with a reason, job id, outcome. */
    public static final Topic<OpsResponse> OPS_RESPONSES = topic("ops.responses", 1, Map.of(
            "retention.ms", Long.toString(30L * 86_400_000L)), OpsResponse.class);
    /** Alerts for people (job failed, automatic rollback, critical drift, pipeline stalled), keyed by subject. */
    public static final Topic<OpsAlert> OPS_ALERTS = topic("ops.alerts", 1, Map.of(
            "retention.ms", Long.toString(30L * 86_400_000L)), OpsAlert.class);
    public static final Topic<ModelVersion> MODEL_VERSIONS = topic("models.versions", 1, Map.of(
            "cleanup.policy", "compact",
            "max.message.bytes", Integer.toString(MODEL_VERSIONS_MAX_MESSAGE_BYTES),
            // a superseded version stays readable for a day before compaction may remove it
            "min.compaction.lag.ms", "86400000"), ModelVersion.class);
    public static final Topic<DeadLetter> DEADLETTER = topic("deadletter", 1, Map.of(
            "max.message.bytes", Integer.toString(MODEL_VERSIONS_MAX_MESSAGE_BYTES)), DeadLetter.class);

    /** The market inputs: what a feed writes and the stream reads. */
    public static final List<Topic<?>> MARKET_INPUTS = List.of(TRADES, BOOKS, LIQUIDATIONS, KLINES);

    public static final List<Topic<?>> ALL = List.of(TRADES, BOOKS, LIQUIDATIONS, KLINES, BARS_1M, FEATURES,
            PREDICTIONS_LIQUIDATION, PREDICTIONS_PATTERN, PREDICTIONS_SHADOW, ALERTS, OUTCOMES, PATTERN_OUTCOMES,
            TRAINING_EXAMPLES, DRIFT, PERFORMANCE, RETRAIN_REQUESTS, TRAINING_JOBS, OPS_RESPONSES, OPS_ALERTS, MODEL_VERSIONS, DEADLETTER);

    private Topics() {
    }

    /**
     * Internal to one stream application: its predictions and outcomes re-keyed by model key for its monitors,
     * named after the application id like Kafka Streams' own internal topics (so two applications never read each
     * other's samples, and the ACL that lets an application create its internal topics covers it). Not a contract
     * for other services.
     */
    public static Topic<MonitoringSample> monitoringSamples(String applicationId, int partitions) {
        return topic(applicationId + "-monitoring-samples", partitions, Map.of(), MonitoringSample.class);
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Topic<V> topic(
            String name, int partitions, Map<String, String> configs, Class<V> valueClass) {
        Map<String, String> all = new java.util.HashMap<>(configs);
        all.putAll(APPEND_TIME);
        return new Topic<>(new TopicSpec(name, partitions, all), valueClass);
    }

    /** The compaction key of a model version: one live record per model key and role. */
    public static String modelVersionKey(String modelKey, io.riptide.schemas.avro.ModelRole role) {
        return modelKey + "|" + role.name();
    }
}
