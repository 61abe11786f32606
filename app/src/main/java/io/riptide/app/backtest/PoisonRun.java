package io.riptide.app.backtest;

import io.riptide.app.poison.PoisonRecords;

import io.riptide.embedded.EmbeddedRuntime;
import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.feed.Heartbeats;
import io.riptide.feed.KafkaMarketEventSink;
import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The poison bench: two stream applications on one embedded runtime, fed the same simulated market in lockstep (as
 * the backtest's arms are), one of them with {@link PoisonRecords} mixed in. Every step first commits that step's bad
 * records, dated inside the step, then the market and heartbeats that release it. At the end it checks that each bad
 * record reached {@code deadletter} with a reason, that no stream thread died, and that every output, labels
 * included, is the same as the clean application's.
 */
final class PoisonRun {
    static final String CLEAN = "poison-clean";
    static final String FED = "poison-fed";
    /** Every output topic of the stream, compared record for record. */
    static final List<Topic<? extends SpecificRecord>> OUTPUTS = List.of(Topics.FEATURES,
            Topics.PREDICTIONS_LIQUIDATION, Topics.PREDICTIONS_PATTERN, Topics.ALERTS, Topics.OUTCOMES,
            Topics.PATTERN_OUTCOMES, Topics.TRAINING_EXAMPLES, Topics.DRIFT, Topics.PERFORMANCE);

    /**
     * @param records total market records the poisoned application reads (valid and bad)
     * @param badShare share of them that are bad
     */
    record Options(int records, double badShare, long seed, int instruments, int stepMinutes, boolean quiet) {
    }

    /** The figures: the RESULT line and a table per kind. */
    record Result(long valid, long bad, long deadLettered, long withReason, long validDeadLettered,
                  long cleanDeadLettered, long crashes, boolean outputsEqual, Map<String, long[]> outputs,
                  Map<PoisonRecords.Kind, long[]> byKind, Map<PoisonRecords.Kind, String> sampleReasons,
                  List<String> missed, double wallSeconds) {

        String resultLine() {
            long outputRecords = outputs.values().stream().mapToLong(c -> c[0]).sum();
            return String.format(java.util.Locale.ROOT, "RESULT bad=%d dead_lettered=%d with_reason=%d crashes=%d "
                            + "valid_outputs_equal=%s records=%d valid=%d valid_dead_lettered=%d outputs=%d "
                            + "wall_s=%.1f",
                    bad, deadLettered, withReason, crashes, outputsEqual, valid + bad, valid, validDeadLettered,
                    outputRecords, wallSeconds);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    PoisonRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    Result run() throws Exception {
        long stepMs = options.stepMinutes() * 60_000L;
        long bad = Math.round(options.records() * options.badShare());
        long validWanted = options.records() - bad;
        BacktestOptions market = BacktestOptions.simulatedMarket(options.seed(), options.instruments(),
                options.stepMinutes(), options.quiet());
        List<Long> validPerStep = plan(market, validWanted, stepMs);
        long validPlanned = validPerStep.stream().mapToLong(Long::longValue).sum();
        say(String.format("%,d valid records in %d steps of %d market minutes, %,d bad records among them",
                validPlanned, validPerStep.size(), options.stepMinutes(), bad));
        BacktestSource source = BacktestSource.of(market);
        FeatureSet featureSet = FeatureSets.liquidation();
        List<Topic<?>> topics = new ArrayList<>(ArmRuntime.namespaceOf(CLEAN).all());
        topics.addAll(ArmRuntime.namespaceOf(FED).all());
        say("starting embedded Kafka (KRaft), PostgreSQL and schema registry ...");
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.defaults().withTopics(topics))) {
            ExecutorService pool = BacktestRun.settlingPool(2);
            ArmRuntime clean = null;
            ArmRuntime fed = null;
            try {
                clean = ArmRuntime.start(Arm.RULES, CLEAN, runtime, market, featureSet);
                fed = ArmRuntime.start(Arm.RULES, FED, runtime, market, featureSet);
                clean.stream.awaitRunning(java.time.Duration.ofSeconds(120));
                fed.stream.awaitRunning(java.time.Duration.ofSeconds(120));
                KafkaClientFactory clients = new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(),
                        runtime.schemaRegistryUrl(), (short) 1, Map.of()));
                Map<String, PoisonRecords.Kind> sent = new ConcurrentHashMap<>();
                long valid = replay(source, clients, List.of(clean, fed), validPerStep, bad, stepMs, sent, pool);
                say("replayed; comparing the outputs and reading the dead letters ...");
                return collect(runtime, clean, fed, valid, sent);
            } finally {
                pool.shutdownNow();
                if (fed != null) {
                    fed.close();
                }
                if (clean != null) {
                    clean.close();
                }
            }
        }
    }

    /** Valid market events per step until there are enough, from a dry run of the same simulator. */
    private static List<Long> plan(BacktestOptions market, long validWanted, long stepMs) throws Exception {
        BacktestSource dry = BacktestSource.of(market);
        FanOutSink counter = new FanOutSink(List.of());
        List<Long> perStep = new ArrayList<>();
        long before = 0;
        for (long t = dry.startMs() + stepMs; before < validWanted; t += stepMs) {
            if (t > dry.endMs()) {
                throw new IllegalArgumentException("--records is more than " + market.marketHours()
                        + " simulated hours hold");
            }
            dry.deliverBefore(t, counter);
            perStep.add(counter.events() - before);
            before = counter.events();
        }
        return perStep;
    }

    private long replay(BacktestSource source, KafkaClientFactory clients, List<ArmRuntime> arms,
                        List<Long> validPerStep, long bad, long stepMs, Map<String, PoisonRecords.Kind> sent,
                        ExecutorService pool) throws Exception {
        ArmRuntime fed = arms.get(1);
        long validTotal = validPerStep.stream().mapToLong(Long::longValue).sum();
        Map<String, Object> poisonProps = new HashMap<>(clients.commonProperties("poison-producer"));
        poisonProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        poisonProps.put(ProducerConfig.ACKS_CONFIG, "all");
        poisonProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "poison-producer");
        poisonProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * PoisonRecords.HUGE_BYTES);
        PoisonRecords poison = new PoisonRecords(new AvroWireSerializer<>(clients.registry(), false), fed.topics,
                BacktestOptions.SIMULATED.subList(0, options.instruments()), options.seed());
        long nextProgress = 0;
        try (KafkaProducer<String, SpecificRecord> producer = clients.producer("poison-feed", "poison-feed");
             KafkaProducer<byte[], byte[]> poisoner = new KafkaProducer<>(poisonProps, new ByteArraySerializer(),
                     new ByteArraySerializer());
             Lockstep lockstep = new Lockstep(clients.admin("poison-lockstep"))) {
            producer.initTransactions();
            poisoner.initTransactions();
            List<KafkaMarketEventSink> sinks = new ArrayList<>();
            arms.forEach(a -> sinks.add(new KafkaMarketEventSink(producer, a.topics)));
            FanOutSink fanOut = new FanOutSink(sinks);
            Heartbeats feed = new Heartbeats(fanOut, source.inputs(), Heartbeats.DEFAULT_INTERVAL_MS, 0);
            long from = source.startMs();
            long released = 0;
            long validSoFar = 0;
            long badSoFar = 0;
            for (int step = 0; step < validPerStep.size(); step++) {
                long until = from + stepMs;
                validSoFar += validPerStep.get(step);
                long badNow = Math.round((double) bad * validSoFar / validTotal) - badSoFar;
                poisoner.beginTransaction();
                for (long i = 0; i < badNow; i++) {
                    PoisonRecords.Poison p = poison.next(from, until, released);
                    poisoner.send(p.record(), (metadata, e) -> {
                        if (e == null) {
                            sent.put(where(metadata.topic(), metadata.partition(), metadata.offset()),
                                    p.kind());
                        }
                    });
                }
                poisoner.commitTransaction();
                badSoFar += badNow;
                producer.beginTransaction();
                source.deliverBefore(until, feed);
                feed.finish(until);
                producer.commitTransaction();
                BacktestRun.settleAll(arms, lockstep, until, pool);
                released = until;
                from = until;
                if (System.nanoTime() >= nextProgress || step == validPerStep.size() - 1) {
                    say(String.format("step %d of %d | %,d valid and %,d bad records sent | dead letters so far: "
                                    + "poisoned %,d, clean %,d", step + 1, validPerStep.size(), fanOut.events(),
                            badSoFar, deadLetters(fed), deadLetters(arms.get(0))));
                    nextProgress = System.nanoTime() + 10_000_000_000L;
                }
            }
            if (sent.size() != bad) {
                throw new IllegalStateException("the broker refused " + (bad - sent.size()) + " of " + bad
                        + " bad records; they cannot be counted");
            }
            return fanOut.events();
        }
    }

    private static long deadLetters(ArmRuntime arm) {
        return arm.stream.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("record-send-total")
                        && arm.topics.name(Topics.DEADLETTER).equals(e.getKey().tags().get("topic")))
                .mapToLong(e -> ((Number) e.getValue().metricValue()).longValue()).sum();
    }

    private Result collect(EmbeddedRuntime runtime, ArmRuntime clean, ArmRuntime fed, long valid,
                           Map<String, PoisonRecords.Kind> sent) {
        KafkaClientFactory cleanClients = clientsOf(runtime, clean.topics);
        KafkaClientFactory fedClients = clientsOf(runtime, fed.topics);
        Map<String, long[]> outputs = new LinkedHashMap<>();
        boolean equal = true;
        for (Topic<? extends SpecificRecord> topic : OUTPUTS) {
            List<String> a = sortedText(TopicReader.readAll(cleanClients, clean.topics.topic(topic)));
            List<String> b = sortedText(TopicReader.readAll(fedClients, fed.topics.topic(topic)));
            boolean same = a.equals(b);
            equal &= same;
            outputs.put(topic.name(), new long[]{a.size(), b.size(), same ? 1 : 0});
        }
        Map<PoisonRecords.Kind, long[]> byKind = new EnumMap<>(PoisonRecords.Kind.class);
        Map<PoisonRecords.Kind, String> sample = new EnumMap<>(PoisonRecords.Kind.class);
        sent.values().forEach(kind -> byKind.computeIfAbsent(kind, k -> new long[3])[0]++);
        Set<String> matched = new HashSet<>();
        long validDeadLettered = 0;
        for (DeadLetter d : TopicReader.readAll(fedClients, fed.topics.topic(Topics.DEADLETTER))) {
            String where = where(d.getSourceTopic(), d.getPartition(), d.getOffset());
            PoisonRecords.Kind kind = sent.get(where);
            if (kind == null) {
                validDeadLettered++;
                continue;
            }
            if (!matched.add(where)) {
                continue; // dead-lettered twice (a retried task); counted once
            }
            long[] counts = byKind.get(kind);
            counts[1]++;
            if (d.getError() != null && !d.getError().isBlank()) {
                counts[2]++;
                sample.putIfAbsent(kind, d.getError());
            }
        }
        List<String> missed = new ArrayList<>();
        sent.forEach((where, kind) -> {
            if (!matched.contains(where) && missed.size() < 10) {
                missed.add(kind + " at " + where);
            }
        });
        long deadLettered = byKind.values().stream().mapToLong(c -> c[1]).sum();
        long withReason = byKind.values().stream().mapToLong(c -> c[2]).sum();
        long cleanDeadLettered = TopicReader.readAll(cleanClients, clean.topics.topic(Topics.DEADLETTER)).size();
        long crashes = crashes(clean) + crashes(fed);
        return new Result(valid, sent.size(), deadLettered, withReason, validDeadLettered, cleanDeadLettered,
                crashes, equal, outputs, byKind, sample, missed, (System.nanoTime() - startNanos) / 1e9);
    }

    private static long crashes(ArmRuntime arm) {
        return arm.stream.threadDeaths() + (arm.stream.state() == KafkaStreams.State.RUNNING ? 0 : 1);
    }

    private static KafkaClientFactory clientsOf(EmbeddedRuntime runtime, TopicNamespace topics) {
        return new KafkaClientFactory(new KafkaSettings(runtime.bootstrapServers(), runtime.schemaRegistryUrl(),
                (short) 1, Map.of(), topics));
    }

    private static List<String> sortedText(List<? extends SpecificRecord> records) {
        List<String> text = new ArrayList<>(records.size());
        records.forEach(r -> text.add(r.toString()));
        text.sort(null);
        return text;
    }

    private static String where(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }

    private void say(String message) {
        if (!options.quiet()) {
            out.printf("[%4ds] %s%n", (System.nanoTime() - startNanos) / 1_000_000_000L, message);
            out.flush();
        }
    }
}
