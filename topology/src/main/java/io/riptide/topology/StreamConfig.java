package io.riptide.topology;

import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.serving.RiskLevels;

import java.nio.file.Path;
import java.util.List;

/**
 * Typed configuration of the stream service, validated at start-up.
 *
 * @param applicationId              Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir                   local state directory
 * @param numThreads                 stream threads per instance
 * @param horizonsMinutes            liquidation-risk horizons; one model key per horizon ({@code liquidation-15m})
 * @param liquidationThreshold       label: liquidation notional (quote currency) in (t, t+h] above this is a positive
 * @param outcomeGraceMs             how long after t+h (event time) late liquidations may still arrive before the label is final
 * @param driftWindow                predictions per drift check (per model version)
 * @param performanceWindow          resolved outcomes per performance report (per model version)
 * @param riskLevels                 probabilities at which risk becomes MEDIUM, HIGH, CRITICAL
 * @param commitIntervalMs           Kafka Streams commit interval (each commit ends a transaction)
 * @param maxTaskIdleMs              how long a task waits for data on all its input partitions before processing
 */
public record StreamConfig(KafkaSettings kafka, String applicationId, Path stateDir, int numThreads,
                           List<Integer> horizonsMinutes, double liquidationThreshold, long outcomeGraceMs,
                           int driftWindow, int performanceWindow, RiskLevels riskLevels,
                           long commitIntervalMs, long maxTaskIdleMs) {

    public static StreamConfig from(Settings settings) {
        return new StreamConfig(
                KafkaSettings.from(settings),
                settings.string("stream.application.id", "riptide-stream"),
                Path.of(settings.string("stream.state.dir", System.getProperty("java.io.tmpdir") + "/riptide-streams")),
                settings.intValue("stream.num.threads", 1, 1, 64),
                settings.intList("stream.horizons.minutes", List.of(5, 15, 30, 60), 1, 24 * 60),
                settings.doubleValue("stream.label.liquidation.threshold", 250_000, 0, Double.MAX_VALUE),
                settings.longValue("stream.outcome.grace.ms", 30_000, 0, 3_600_000),
                settings.intValue("stream.drift.window", 120, 20, 1_000_000),
                settings.intValue("stream.performance.window", 120, 20, 1_000_000),
                riskLevels(settings),
                settings.longValue("stream.commit.interval.ms", 100, 10, 60_000),
                settings.longValue("stream.max.task.idle.ms", 0, 0, 60_000));
    }

    private static RiskLevels riskLevels(Settings settings) {
        RiskLevels defaults = RiskLevels.defaults();
        double medium = settings.doubleValue("stream.risk.medium", defaults.medium(), 0, 1);
        double high = settings.doubleValue("stream.risk.high", defaults.high(), 0, 1);
        double critical = settings.doubleValue("stream.risk.critical", defaults.critical(), 0, 1);
        try {
            return new RiskLevels(medium, high, critical);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid stream.risk.medium/high/critical: " + e.getMessage());
        }
    }

    public StreamConfig withKafka(KafkaSettings newKafka) {
        return new StreamConfig(newKafka, applicationId, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                outcomeGraceMs, driftWindow, performanceWindow, riskLevels, commitIntervalMs, maxTaskIdleMs);
    }

    public StreamConfig withStateDir(Path dir) {
        return new StreamConfig(kafka, applicationId, dir, numThreads, horizonsMinutes, liquidationThreshold,
                outcomeGraceMs, driftWindow, performanceWindow, riskLevels, commitIntervalMs, maxTaskIdleMs);
    }

    public StreamConfig withHorizons(List<Integer> horizons) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, List.copyOf(horizons), liquidationThreshold,
                outcomeGraceMs, driftWindow, performanceWindow, riskLevels, commitIntervalMs, maxTaskIdleMs);
    }
}
