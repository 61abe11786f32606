package io.riptide.trigger.api;

import io.riptide.schemas.config.Settings;

/**
 * Settings of the trigger's ops surface: the pipeline watch behind {@code GET /api/status} and the alerts it sends
 * to {@code ops.alerts}. Separate from {@code TriggerConfig}: nothing here changes how models are trained.
 *
 * @param watchIntervalMs          how often the watch looks at the stream's consumer group and lag
 * @param streamApplicationId      the Kafka Streams application id (= consumer group) of the stream to watch
 * @param noPredictionsMs          no prediction seen for this long raises NO_PREDICTIONS
 * @param lagGrowthChecks          the stream's lag grew on this many watch rounds in a row: CONSUMER_LAG_GROWING
 * @param lagMinRecords            ... and is at least this many records (a small lag that grows is noise)
 * @param driftAlertMinIntervalMs  at most one CRITICAL_DRIFT alert per model key in this time
 */
public record OpsSettings(long watchIntervalMs, String streamApplicationId, long noPredictionsMs, int lagGrowthChecks,
                          long lagMinRecords, long driftAlertMinIntervalMs) {

    public static OpsSettings from(Settings s) {
        return new OpsSettings(
                s.longValue("ops.watch.interval.ms", 15_000, 100, 3_600_000),
                s.string("ops.watch.stream.application.id", s.string("stream.application.id", "riptide-stream")),
                s.longValue("ops.watch.no.predictions.ms", 300_000, 1_000, 86_400_000),
                s.intValue("ops.watch.lag.growth.checks", 20, 2, 10_000),
                s.longValue("ops.watch.lag.min.records", 1_000, 0, Long.MAX_VALUE),
                s.longValue("ops.alerts.drift.min.interval.ms", 600_000, 0, 86_400_000));
    }

    /** The defaults, as {@link #from} gives them for empty settings. */
    public static OpsSettings defaults() {
        return from(Settings.load(null, java.util.Map.of(), java.util.Map.of()));
    }

    public OpsSettings withWatch(long intervalMs, String applicationId, long noPredictions) {
        return new OpsSettings(intervalMs, applicationId, noPredictions, lagGrowthChecks, lagMinRecords,
                driftAlertMinIntervalMs);
    }
}
