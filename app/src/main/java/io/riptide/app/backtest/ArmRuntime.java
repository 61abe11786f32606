package io.riptide.app.backtest;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.features.FeatureSet;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import io.riptide.serving.ModelKey;
import io.riptide.topology.ServingModel;
import io.riptide.topology.StreamConfig;
import io.riptide.topology.StreamService;
import io.riptide.topology.StreamTopology;
import io.riptide.trigger.TriggerConfig;
import io.riptide.trigger.TriggerService;
import io.riptide.trigger.store.StoredModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One arm's services on the shared embedded runtime: its own topics (a topic namespace {@code bt-<arm>.}), its own
 * stream application, and, where the arm trains, its own trigger on its own database, stepped by the backtest.
 */
final class ArmRuntime implements AutoCloseable {
    final Arm arm;
    /** The arm's name in topics, application ids and messages (the arm's own label in a backtest). */
    final String label;
    final TopicNamespace topics;
    final StreamConfig streamConfig;
    final StreamService stream;
    final TriggerService trigger;
    final String triggerGroup;
    /** Versions serving each key after each step: (key -> version), for swaps in market time. */
    private final Map<String, Integer> serving = new HashMap<>();
    final List<Swap> swaps = new ArrayList<>();
    /** Wall-clock seconds spent per lockstep phase (stream, monitors, trigger, jobs, install), for the timing report. */
    final Map<String, Double> phaseSeconds = new LinkedHashMap<>();

    /** A change of the version serving a key, at the market time of the step that published it. */
    record Swap(String key, int fromVersion, int toVersion, long marketTimeMs, String trigger) {
    }

    private ArmRuntime(Arm arm, String label, TopicNamespace topics, StreamConfig streamConfig, StreamService stream,
                       TriggerService trigger, String triggerGroup) {
        this.arm = arm;
        this.label = label;
        this.topics = topics;
        this.streamConfig = streamConfig;
        this.stream = stream;
        this.trigger = trigger;
        this.triggerGroup = triggerGroup;
    }

    static TopicNamespace namespaceOf(Arm arm) {
        return namespaceOf(arm.label());
    }

    static TopicNamespace namespaceOf(String label) {
        return TopicNamespace.of("bt-" + label + ".");
    }

    static ArmRuntime start(Arm arm, EmbeddedRuntime runtime, BacktestOptions options, FeatureSet featureSet)
            throws IOException {
        return start(arm, arm.label(), runtime, options, featureSet);
    }

    /**
     * An arm under another name: its topics are {@code bt-<label>.}, its application {@code bt-<label>}. The poison
     * bench runs two rules arms this way, one of them fed hostile records as well.
     */
    static ArmRuntime start(Arm arm, String label, EmbeddedRuntime runtime, BacktestOptions options,
                            FeatureSet featureSet) throws IOException {
        TopicNamespace topics = namespaceOf(label);
        KafkaSettings kafka = new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(), (short) 1,
                Map.of("fetch.max.wait.ms", "5"), topics);
        KafkaClientFactory clients = new KafkaClientFactory(kafka);
        Path state = Files.createTempDirectory("riptide-backtest-" + label + "-");
        String horizons = options.horizons().stream().map(String::valueOf).collect(Collectors.joining(","));
        long stepMs = options.stepMinutes() * 60_000L;
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", runtime.bootstrapServers());
        s.put("schema.registry.url", runtime.schemaRegistryUrl());
        s.put("stream.application.id", "bt-" + label);
        s.put("stream.state.dir", state.toString());
        // consumers are woken by new data, not by the markers that make it readable (read_committed): a long fetch
        // wait would add up to half a second to every hop of every step
        s.put("kafka.client.fetch.max.wait.ms", "5");
        s.put("stream.horizons.minutes", horizons);
        s.put("stream.label.liquidation.threshold", Double.toString(SimulatorConfig.SUGGESTED_LIQUIDATION_THRESHOLD_USD));
        // lockstep: every bar is scored as it closes, nothing waits on the wall clock, and a source is never
        // declared idle by the wall clock (the backtest heartbeats every input at every step)
        s.put("stream.batch.max.age.ms", "0");
        s.put("stream.commit.interval.ms", "30");
        s.put("stream.input.idle.wall.ms", Long.toString(86_400_000L));
        s.put("stream.input.idle.event.ms", Long.toString(Math.max(4 * stepMs, 600_000L)));
        if (!arm.online) {
            s.put("stream.online.weight", "0");
        }
        // trigger.model.keys is left to its default: one key per horizon above, and the pattern key
        s.put("trigger.trainer", options.trainer());
        s.put("trigger.group.id", "bt-" + label + "-trigger");
        s.put("trigger.lifecycle", "direct"); // riptide backtest --lifecycle shadow sets it through the settings
        s.putAll(options.settings());
        s.put("trigger.automatic.retrain", Boolean.toString(arm.retrains));
        s.putIfAbsent(ModelSigning.SECRET_KEY, ModelSigning.newSecret()); // signed as in production, one per arm
        Settings settings = Settings.load(null, Map.of(), s);
        StreamConfig streamConfig = StreamConfig.from(settings).withKafka(kafka);
        StreamService stream = new StreamService(streamConfig, featureSet, clients);
        TriggerService trigger = null;
        if (arm.trains) {
            s.put("db.url", runtime.jdbcUrl());
            TriggerConfig triggerConfig = TriggerConfig.from(Settings.load(null, Map.of(), s)).with(kafka,
                    new TriggerConfig.Database(runtime.jdbcUrl(), runtime.jdbcUser(), runtime.jdbcPassword()));
            trigger = new TriggerService(triggerConfig, clients,
                    runtime.createDatabaseNamed("bt_" + label.replace('-', '_')), TriggerService.JobMode.STEPPED);
        }
        ArmRuntime armRuntime = new ArmRuntime(arm, label, topics, streamConfig, stream, trigger,
                "bt-" + label + "-trigger");
        stream.start();
        if (trigger != null) {
            trigger.start();
        }
        return armRuntime;
    }

    /** The stream application's inputs: the market topics and its own monitoring samples. */
    List<Topic<?>> streamInputs() {
        List<Topic<?>> in = new ArrayList<>();
        Topics.MARKET_INPUTS.forEach(t -> in.add(topics.topic(t)));
        in.add(StreamTopology.monitoringSamples(streamConfig));
        return in;
    }

    /** What the trigger consumes from the stream. */
    List<Topic<?>> triggerInputs() {
        return List.of(topics.topic(Topics.TRAINING_EXAMPLES), topics.topic(Topics.DRIFT),
                topics.topic(Topics.PERFORMANCE));
    }

    /** Records which version now serves each key, from the trigger's registry; returns the keys that changed. */
    List<Swap> recordSwaps(long marketTimeMs) {
        if (trigger == null) {
            return List.of();
        }
        List<Swap> changed = new ArrayList<>();
        for (String key : streamConfig.horizonsMinutes().stream().map(h -> ModelKey.liquidation(h).key()).toList()) {
            Optional<StoredModel> production = trigger.registry().production(key);
            int version = production.map(StoredModel::version).orElse(ServingModel.FALLBACK_VERSION);
            int before = serving.getOrDefault(key, ServingModel.FALLBACK_VERSION);
            if (version != before) {
                String why = trigger.jobs().history().stream().filter(j -> j.candidateVersion() != null
                                && j.candidateVersion() == version && j.modelKey().equals(key))
                        .map(j -> j.trigger()).findFirst().orElse("?");
                Swap swap = new Swap(key, before, version, marketTimeMs, why);
                swaps.add(swap);
                changed.add(swap);
                serving.put(key, version);
            }
        }
        return changed;
    }

    /** Waits until the stream serves every version the registry says serves. */
    void awaitInstalled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> missing = new ArrayList<>();
            serving.forEach((key, version) -> {
                int live = stream.liveModels().production(key).map(ServingModel::version)
                        .orElse(ServingModel.FALLBACK_VERSION);
                if (live != version) {
                    missing.add(key + " v" + version + " (serving v" + live + ")");
                }
            });
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": the stream did not install " + missing + " within "
                        + timeout + (stream.liveModels().rejections() > 0 ? "; last rejection: "
                        + stream.liveModels().lastRejection() : ""));
            }
            Thread.sleep(5);
        }
    }

    Map<String, Integer> servingNow() {
        return new LinkedHashMap<>(serving);
    }

    @Override
    public void close() {
        if (trigger != null) {
            trigger.close();
        }
        stream.close();
    }
}
