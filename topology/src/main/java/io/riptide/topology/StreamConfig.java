package io.riptide.topology;

import io.riptide.features.Pattern;
import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.serving.RiskLevels;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed configuration of the stream service, validated at start-up. Start from {@link #from(Settings)} (or
 * {@link #defaults} in code) and adjust with the {@code with...} methods.
 *
 * @param applicationId        Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir             local state directory
 * @param numThreads           stream threads per instance
 * @param horizonsMinutes      liquidation-risk horizons; one model key per horizon ({@code liquidation-15m})
 * @param liquidationThreshold label: liquidation notional (quote currency) in (t, t+h] above this is a positive
 * @param riskLevels           probabilities at which risk becomes MEDIUM, HIGH, CRITICAL
 * @param commitIntervalMs     Kafka Streams commit interval (each commit ends a transaction)
 * @param maxTaskIdleMs        how long a task waits for data on all its input partitions before processing; -1
 *                             never waits (then the merger buffers whatever one topic runs ahead)
 * @param serving              micro-batching, the online learner and the evaluator switch
 * @param input                when event time stops waiting for a silent market source
 * @param monitoring           drift and performance monitoring
 * @param signing              which model versions may be installed
 * @param state                where task state lives (RocksDB or memory) and standby replicas
 * @param patterns             the triple barrier of each pattern family's signals
 */
public record StreamConfig(KafkaSettings kafka, String applicationId, Path stateDir, int numThreads,
                           List<Integer> horizonsMinutes, double liquidationThreshold, RiskLevels riskLevels,
                           long commitIntervalMs, long maxTaskIdleMs, Serving serving, Input input,
                           Monitoring monitoring, ModelSigning signing, State state, Patterns patterns) {

    public StreamConfig {
        horizonsMinutes = List.copyOf(horizonsMinutes);
    }

    /**
     * How predictions are made.
     *
     * @param batchMaxRows     closed bars (across the task's instruments) scored together at most
     * @param batchMaxAgeMs    the longest a closed bar waits for its batch (wall clock); 0 scores every bar at once
     * @param onlineWeight     share of the per-instrument online learner in a prediction once it has learned
     *                         {@code onlineMinUpdates} outcomes (0 turns the learner off)
     * @param onlineMinUpdates outcomes the online learner must have learned before it is blended in
     * @param nativePath       evaluate models with the LightGBM / XGBoost native libraries instead of pure Java
     * @param canaryShare      share of instruments (by a stable hash, {@code CanaryRule}) that a key's shadow serves
     *                         on the production topics; 0 (the default) serves every instrument by production
     */
    public record Serving(int batchMaxRows, long batchMaxAgeMs, double onlineWeight, int onlineMinUpdates,
                          boolean nativePath, double canaryShare) {

        public static Serving from(Settings settings) {
            return new Serving(
                    settings.intValue("stream.batch.max.rows", 64, 1, 4096),
                    settings.longValue("stream.batch.max.age.ms", 20, 0, 10_000),
                    settings.doubleValue("stream.online.weight", 0.2, 0, 1),
                    settings.intValue("stream.online.min.updates", 200, 0, 100_000_000),
                    settings.booleanValue("stream.serving.native", false),
                    settings.doubleValue("stream.canary.share", 0, 0, 1));
        }

        /** The defaults of {@link #from}. */
        public static Serving defaults() {
            return from(Settings.load(null, Map.of(), Map.of()));
        }

        /** Scores every closed bar at once and turns the online learner off: the simplest, for tests. */
        public static Serving unbatched() {
            return new Serving(1, 0, 0.0, 0, false, 0);
        }

        public Serving withBatching(int maxRows, long maxAgeMs) {
            return new Serving(maxRows, maxAgeMs, onlineWeight, onlineMinUpdates, nativePath, canaryShare);
        }

        public Serving withOnline(double weight, int minUpdates) {
            return new Serving(batchMaxRows, batchMaxAgeMs, weight, minUpdates, nativePath, canaryShare);
        }

        public Serving withNativePath(boolean evaluateNatively) {
            return new Serving(batchMaxRows, batchMaxAgeMs, onlineWeight, onlineMinUpdates, evaluateNatively,
                    canaryShare);
        }

        public Serving withCanaryShare(double share) {
            return new Serving(batchMaxRows, batchMaxAgeMs, onlineWeight, onlineMinUpdates, nativePath, share);
        }
    }

    /**
     * A pattern family's triple barrier (docs/FEATURES.md, "Pattern signals"): profit at {@code profitAtr} x ATR(14)
     * in the signal's direction, stop at {@code stopAtr} x ATR against it, and a time barrier of {@code bars} closed
     * bars. The signals' model key is {@code pattern-<bars>m}.
     */
    public record Barrier(double profitAtr, double stopAtr, int bars) {
        static Barrier from(Settings settings, Pattern.Family family, Barrier defaults) {
            String prefix = family.settingsPrefix();
            return new Barrier(settings.doubleValue(prefix + "profit.atr", defaults.profitAtr, 0.1, 100),
                    settings.doubleValue(prefix + "stop.atr", defaults.stopAtr, 0.1, 100),
                    settings.intValue(prefix + Pattern.BARS_SETTING, defaults.bars, 1, 24 * 60));
        }
    }

    /**
     * Pattern signals: whether they are emitted, and each family's barrier. The defaults, 2 ATR profit, 1 ATR stop
     * and 30 bars for every family, are reasoned in docs/FEATURES.md.
     */
    public record Patterns(boolean enabled, Map<Pattern.Family, Barrier> barriers) {
        public static final Barrier DEFAULT_BARRIER = new Barrier(2.0, 1.0, Pattern.DEFAULT_TIME_BARRIER_BARS);

        public Patterns {
            barriers = Map.copyOf(barriers);
        }

        public static Patterns from(Settings settings) {
            Map<Pattern.Family, Barrier> barriers = new EnumMap<>(Pattern.Family.class);
            for (Pattern p : Pattern.signals()) {
                barriers.computeIfAbsent(p.family(), f -> Barrier.from(settings, f, DEFAULT_BARRIER));
            }
            return new Patterns(settings.booleanValue(Pattern.SIGNALS_SETTING, true), barriers);
        }

        public Barrier barrier(Pattern pattern) {
            return barriers.get(pattern.family());
        }
    }

    /**
     * When event time stops waiting for a silent input. An instrument's event time advances to the lowest
     * watermark of its sources (their events and feed heartbeats); a source without heartbeats that falls
     * silent would hold it back forever, so it is passed over once it has been silent for {@code idleWallMs} of
     * wall-clock time AND is more than {@code idleEventMs} of event time behind the instrument's other sources. The
     * same rule passes over a silent instrument in the monitors' event-time ordering.
     *
     * <p>{@code maxFutureMs}: a market record or heartbeat whose event time lies more than this ahead of its Kafka
     * record's timestamp (the broker's append time on Riptide's LogAppendTime market topics: the wall clock) is
     * dead-lettered before it can move the instrument's event time, which would close bars early and make every real
     * record after it late; 0 turns the check off (for a simulation deliberately run ahead of the wall clock).
     *
     * <p>{@code maxBufferedEvents}: the most events one instrument's merger holds back while it waits for a lagging
     * source. Past it, the sources holding event time back are declared idle at once, as the wall-clock rule would
     * after {@code idleWallMs}: a backlog consumed at machine speed never lets that much wall time pass, and a dead
     * trade feed would otherwise make the books pile up in memory without bound.
     */
    public record Input(long idleWallMs, long idleEventMs, long maxFutureMs, int maxBufferedEvents) {
        public static Input from(Settings settings) {
            return new Input(settings.longValue("stream.input.idle.wall.ms", 30_000, 100, 86_400_000),
                    settings.longValue("stream.input.idle.event.ms", 120_000, 0, 86_400_000L * 30),
                    settings.longValue("stream.input.max.future.ms", 300_000, 0, 86_400_000L * 365),
                    settings.intValue("stream.input.max.buffered.events", 50_000, 10, 10_000_000));
        }

        public Input withMaxBufferedEvents(int value) {
            return new Input(idleWallMs, idleEventMs, maxFutureMs, value);
        }
    }

    /**
     * Drift and performance monitoring (docs/TOPOLOGY.md, "Model monitor").
     *
     * @param driftWindow       predictions per data-drift check (PSI and KS of the score and every feature against the
     *                          version's training reference), per model version
     * @param performanceWindow resolved outcomes per performance report (per model version)
     * @param partitions        partitions of the application's monitoring-samples topic (model keys spread over them)
     * @param adwinDelta        ADWIN's confidence on per-outcome log-loss (smaller: fewer, later alarms)
     * @param lossClip          per-outcome log-loss is clipped here before the concept-drift detectors see it
     * @param phDelta           Page-Hinkley's tolerated rise of mean log-loss
     * @param phLambda          Page-Hinkley's alarm threshold on the accumulated rise
     */
    public record Monitoring(int driftWindow, int performanceWindow, int partitions, double adwinDelta,
                             double lossClip, double phDelta, double phLambda) {
        /*
         * The concept-drift defaults were chosen with `riptide backtest detectors` on the simulator's seed-7 day
         * (docs/BACKTEST.md, "Choosing the detector defaults"): the most sensitive settings that stay within one
         * false alarm per key per calm market day. MOA's ADWIN delta of 0.002 raised 2.6, Page-Hinkley 0.05/20 9.7.
         */
        public static final double DEFAULT_ADWIN_DELTA = 1e-8;
        public static final double DEFAULT_PH_DELTA = 0.5;
        public static final double DEFAULT_PH_LAMBDA = 100;

        public static Monitoring from(Settings settings) {
            return new Monitoring(settings.intValue("stream.drift.window", 120, 20, 1_000_000),
                    settings.intValue("stream.performance.window", 120, 20, 1_000_000),
                    settings.intValue("stream.monitoring.partitions", 4, 1, 1024),
                    settings.doubleValue("stream.drift.adwin.delta", DEFAULT_ADWIN_DELTA, 1e-12, 0.5),
                    settings.doubleValue("stream.drift.loss.clip", 5, 0.5, 50),
                    settings.doubleValue("stream.drift.ph.delta", DEFAULT_PH_DELTA, 0, 10),
                    settings.doubleValue("stream.drift.ph.lambda", DEFAULT_PH_LAMBDA, 0.1, 1e6));
        }

        public Monitoring withWindows(int drift, int performance) {
            return new Monitoring(drift, performance, partitions, adwinDelta, lossClip, phDelta, phLambda);
        }
    }

    /**
     * Where task state lives and how a restarted instance gets it back. {@code persistent}: RocksDB stores under
     * {@code stateDir}, so a clean restart resumes from local state instead of replaying the changelogs; all of them
     * (every task and the global model-versions store) share one block cache and write-buffer budget of {@code
     * rocksDbMemoryBytes} ({@code BoundedRocksDbMemory}). Otherwise in-memory stores, rebuilt from the changelogs on
     * every start. {@code standbyReplicas}: Kafka Streams' {@code num.standby.replicas}, warm copies of each task's
     * state on other instances, so a failover does not wait for a restore. {@code groupInstanceId}: static group
     * membership; an instance that comes back under the same id (a StatefulSet pod's name) within the session
     * timeout gets its own tasks back at once, without a rebalance. Without it an instance leaves the group when it
     * stops cleanly, and one that was killed holds its tasks until the session timeout (docs/RELIABILITY.md).
     */
    public record State(boolean persistent, long rocksDbMemoryBytes, int standbyReplicas,
                        Optional<String> groupInstanceId) {
        public static final String ROCKSDB = "rocksdb";
        public static final String IN_MEMORY = "in-memory";

        public static State from(Settings settings) {
            String instance = settings.string("stream.group.instance.id", "").trim();
            return new State(ROCKSDB.equals(settings.choice("stream.state.stores", ROCKSDB, List.of(ROCKSDB, IN_MEMORY))),
                    settings.longValue("stream.rocksdb.memory.bytes", 64L << 20, 8L << 20, 1L << 40),
                    settings.intValue("stream.num.standby.replicas", 0, 0, 8),
                    instance.isEmpty() ? Optional.empty() : Optional.of(instance));
        }

        public State withPersistent(boolean onDisk) {
            return new State(onDisk, rocksDbMemoryBytes, standbyReplicas, groupInstanceId);
        }
    }

    public static StreamConfig from(Settings settings) {
        return new StreamConfig(
                KafkaSettings.from(settings),
                settings.string("stream.application.id", "riptide-stream"),
                Path.of(settings.string("stream.state.dir", System.getProperty("java.io.tmpdir") + "/riptide-streams")),
                settings.intValue("stream.num.threads", 1, 1, 64),
                settings.intList("stream.horizons.minutes", List.of(5, 15, 30, 60), 1, 24 * 60),
                settings.doubleValue("stream.label.liquidation.threshold", 250_000, 0, Double.MAX_VALUE),
                riskLevels(settings),
                settings.longValue("stream.commit.interval.ms", 100, 10, 60_000),
                settings.longValue("stream.max.task.idle.ms", 0, -1, 60_000),
                Serving.from(settings),
                Input.from(settings),
                Monitoring.from(settings),
                ModelSigning.from(settings),
                State.from(settings),
                Patterns.from(settings));
    }

    /**
     * Every default, for code that builds its own stream (tests, benchmarks): unsigned model versions are installed
     * unless {@link #withSigning} gives a secret. The stream service ({@link #from}) requires one.
     */
    public static StreamConfig defaults(KafkaSettings kafka, String applicationId, Path stateDir) {
        return from(Settings.load(null, Map.of(), Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "schema.registry.url", kafka.schemaRegistryUrl(), ModelSigning.ALLOW_UNSIGNED_KEY, "true")))
                .withKafka(kafka).withApplicationId(applicationId).withStateDir(stateDir);
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
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, monitoring, signing, state, patterns);
    }

    public StreamConfig withApplicationId(String id) {
        return new StreamConfig(kafka, id, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, monitoring, signing, state, patterns);
    }

    public StreamConfig withStateDir(Path dir) {
        return new StreamConfig(kafka, applicationId, dir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, monitoring, signing, state, patterns);
    }

    public StreamConfig withServing(Serving newServing) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, newServing, input, monitoring, signing, state, patterns);
    }

    public StreamConfig withHorizons(List<Integer> horizons) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizons, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, monitoring, signing, state, patterns);
    }

    public StreamConfig withLiquidationThreshold(double threshold) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizonsMinutes, threshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, monitoring, signing, state, patterns);
    }

    public StreamConfig withInput(Input newInput) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, newInput, monitoring, signing, state, patterns);
    }

    public StreamConfig withMonitoring(Monitoring newMonitoring) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, newMonitoring, signing, state,
                patterns);
    }

    public StreamConfig withCommitIntervalMs(long ms) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, ms, maxTaskIdleMs, serving, input, monitoring, signing, state, patterns);
    }

    public StreamConfig withSigning(ModelSigning newSigning) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, monitoring, newSigning, state, patterns);
    }

    public StreamConfig withPatterns(Patterns newPatterns) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, monitoring, signing, state, newPatterns);
    }

    public StreamConfig withState(State newState) {
        return new StreamConfig(kafka, applicationId, stateDir, numThreads, horizonsMinutes, liquidationThreshold,
                riskLevels, commitIntervalMs, maxTaskIdleMs, serving, input, monitoring, signing, newState, patterns);
    }
}
