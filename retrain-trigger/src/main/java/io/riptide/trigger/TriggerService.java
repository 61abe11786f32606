package io.riptide.trigger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.riptide.schemas.avro.DeadLetter;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.Outcome;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.service.Service;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.api.OpsRequestAuthority;
import io.riptide.trigger.api.OpsSettings;
import io.riptide.trigger.api.OpsSurface;
import io.riptide.trigger.internal.ConsumerLoop;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.Migrations;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.MonitoringStore;
import io.riptide.trigger.store.ShadowOutcomeStore;
import io.riptide.trigger.store.LeaseLostException;
import io.riptide.trigger.lifecycle.AutomaticRollback;
import io.riptide.trigger.lifecycle.ShadowReview;
import io.riptide.trigger.store.TrainingJob;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retrain-trigger service: sinks training examples and monitoring events into PostgreSQL, turns signals and
 * ops requests into jobs (see {@link RetrainPolicy}), runs jobs, and serves the ops surface. Time is market time
 * ({@link MarketClock}).
 *
 * <p>Two ways to run jobs. {@link JobMode#CONTINUOUS} (a deployment): signals are judged as they arrive, and up to
 * {@code trigger.jobs.max.concurrent} workers claim jobs under a lease and run each in a JVM of its own
 * ({@link JobProcess}). {@link JobMode#STEPPED} (the backtest): signals wait, and each
 * {@link #step} judges them in event-time order at a given market time, then the schedule, then runs every queued
 * job to its end; so what is trained, and when in market time, depends on the data only.
 */
public final class TriggerService implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerService.class);

    /** How jobs are run: see the class comment. */
    public enum JobMode { CONTINUOUS, STEPPED }

    /**
     * A drift or performance event, or new outcomes of a shadow, waiting for the next step in event-time order;
     * kind breaks ties (performance 0, drift 1, shadow outcomes 2).
     */
    private record Signal(long timeMs, int kind, String modelKey, String id, Runnable judge) {
    }

    /** What one step did. */
    public record StepResult(int signalsJudged, List<Long> jobsRun) {
    }

    private final TriggerConfig config;
    private final KafkaClientFactory clients;
    private final JobMode mode;
    private final MarketClock clock = new MarketClock();
    private final HikariDataSource pool;
    private final ExampleStore examples;
    private final JobStore jobs;
    private final ModelRegistryStore registry;
    private final MonitoringStore monitoring;
    private final ModelPublisher publisher;
    private final PromotionOutbox outbox;
    private final AutomaticRollback rollback;
    private final RetrainPolicy policy;
    private final OpsRequestHandler ops;
    private final TrainingJobRunner runner;
    /** Runs each job in a JVM of its own; null where jobs run on the worker's thread. */
    private final JobProcess jobProcess;
    private final OpsSurface opsSurface;
    /** Not transactional: dead letters of undecodable input records, written before the loop skips them. */
    private final KafkaProducer<String, SpecificRecord> deadLetterProducer;
    private volatile OpsRequestAuthority kafkaOpsAuthority = OpsRequestAuthority.refuseAll(
            "ops requests over Kafka must be signed with an ops token this trigger knows, and it knows none "
                    + "(ops.api.tokens or ops.api.tokens.file)");
    private final ShadowOutcomeStore shadowOutcomes;
    private final ShadowReview shadowReview;
    /** Wall time of the last review of every key's shadow (its probation can end without a new outcome). */
    private volatile long shadowsReviewedAtMs = Long.MIN_VALUE;
    private final List<ConsumerLoop<?>> loops = new ArrayList<>();
    private final List<Signal> inbox = new ArrayList<>();
    private final AtomicLong examplesStored = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();
    /** The jobs this instance runs now, whose leases the lease keeper renews. */
    private final Set<TrainingJob> runningJobs = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService leaseKeeper;
    private volatile boolean running;

    public TriggerService(TriggerConfig config, KafkaClientFactory clients, DataSource dataSource) {
        this(config, OpsSettings.defaults(), clients, dataSource, Metrics.globalRegistry, JobMode.CONTINUOUS);
    }

    public TriggerService(TriggerConfig config, KafkaClientFactory clients, DataSource dataSource, JobMode mode) {
        this(config, OpsSettings.defaults(), clients, dataSource, Metrics.globalRegistry, mode);
    }

    /** With the ops surface's settings and the registry its meters (and the Kafka clients' metrics) go to. */
    public TriggerService(TriggerConfig config, OpsSettings opsSettings, KafkaClientFactory clients,
                          DataSource dataSource, MeterRegistry meters) {
        this(config, opsSettings, clients, dataSource, meters, JobMode.CONTINUOUS);
    }

    public TriggerService(TriggerConfig config, OpsSettings opsSettings, KafkaClientFactory clients,
                          DataSource unpooled, MeterRegistry meters, JobMode mode) {
        this.config = config;
        this.clients = clients;
        this.mode = mode;
        this.pool = pooled(unpooled, "riptide-trigger-db", 6 + config.jobs().maxConcurrent());
        DataSource dataSource = pool;
        int migrations = Migrations.migrate(dataSource);
        LOG.info("PostgreSQL schema up to date ({} migrations applied now)", migrations);
        this.examples = new ExampleStore(dataSource);
        this.jobs = new JobStore(dataSource);
        this.registry = new ModelRegistryStore(dataSource);
        this.monitoring = new MonitoringStore(dataSource);
        KafkaProducer<String, SpecificRecord> publisherProducer = clients.producer("riptide-trigger-publisher",
                config.groupId() + "-publisher");
        this.publisher = new ModelPublisher(publisherProducer, config.inlineArtifactMaxBytes(), config.kafka().topics(),
                config.signing());
        this.policy = new RetrainPolicy(config, jobs, examples, registry, clock);
        this.outbox = new PromotionOutbox(registry, publisher::publish);
        this.ops = new OpsRequestHandler(policy, registry, outbox);
        JobReporter reporter = JobReporter.publishing(publisher, outbox);
        this.runner = new TrainingJobRunner(config, examples, jobs, registry, reporter, clock);
        this.jobProcess = mode == JobMode.CONTINUOUS && config.jobs().ownProcess()
                ? new JobProcess(config, runner, jobs, reporter, clock) : null;
        this.opsSurface = new OpsSurface(config, opsSettings, clients, dataSource, jobs, ops, meters);
        this.rollback = new AutomaticRollback(config.rollback(), registry, monitoring, outbox, opsSurface.alerts());
        this.shadowOutcomes = new ShadowOutcomeStore(dataSource);
        this.shadowReview = new ShadowReview(config.lifecycle().promotion(), registry, shadowOutcomes, outbox,
                opsSurface.alerts(), clock);
        opsSurface.bind(publisherProducer);
        this.deadLetterProducer = opsSurface.bind(clients.producer("riptide-trigger-deadletter", null));
        for (int i = 0; i < (mode == JobMode.CONTINUOUS ? config.jobs().maxConcurrent() : 0); i++) {
            boolean schedules = i == 0; // one worker also runs the schedule and the outbox
            Thread worker = new Thread(() -> work(schedules), "riptide-trigger-jobs-" + (i + 1));
            worker.setDaemon(true);
            workers.add(worker);
        }
        this.leaseKeeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "riptide-trigger-leases");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A small connection pool over the given data source: the policies and the job runner query PostgreSQL many
     * times per decision, and a new connection each time costs more than the query.
     */
    static HikariDataSource pooled(DataSource dataSource, String name, int size) {
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(dataSource);
        hikari.setPoolName(name);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(30_000);
        hikari.setInitializationFailTimeout(-1); // a database still starting is waited for by the first query
        return new HikariDataSource(hikari);
    }

    @Override
    public String name() {
        return "trigger";
    }

    @Override
    public void start() {
        running = true;
        int requeued = jobs.requeueOwnedBy(config.jobs().instanceId());
        if (requeued > 0) {
            LOG.warn("{} jobs left running by an earlier start of {} were requeued", requeued,
                    config.jobs().instanceId());
        }
        long renewEvery = config.jobs().leaseMs() / 3;
        leaseKeeper.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        TopicNamespace topics = config.kafka().topics();
        loops.add(new ConsumerLoop<>("example-sink", opsSurface.bind(clients.consumer(config.groupId(),
                topics.topic(Topics.TRAINING_EXAMPLES))), topics.name(Topics.TRAINING_EXAMPLES), this::storeExamples,
                this::deadLetter));
        loops.add(new ConsumerLoop<>("performance-listener", opsSurface.bind(clients.consumer(config.groupId(),
                topics.topic(Topics.PERFORMANCE))), topics.name(Topics.PERFORMANCE),
                batch -> batch.forEach(r -> onPerformance(r.value())), this::deadLetter));
        loops.add(new ConsumerLoop<>("drift-listener", opsSurface.bind(clients.consumer(config.groupId(),
                topics.topic(Topics.DRIFT))), topics.name(Topics.DRIFT),
                batch -> batch.forEach(r -> onDrift(r.value())), this::deadLetter));
        loops.add(new ConsumerLoop<>("outcome-listener", opsSurface.bind(clients.consumer(config.groupId(),
                topics.topic(Topics.OUTCOMES))), topics.name(Topics.OUTCOMES), this::onOutcomes, this::deadLetter));
        loops.add(new ConsumerLoop<>("ops-listener", opsSurface.bind(clients.consumer(config.groupId(),
                topics.topic(Topics.RETRAIN_REQUESTS))), topics.name(Topics.RETRAIN_REQUESTS),
                batch -> batch.forEach(r -> onOpsRequest(r.value())), this::deadLetter));
        loops.forEach(ConsumerLoop::start);
        if (mode == JobMode.CONTINUOUS) {
            workers.forEach(Thread::start);
        }
        opsSurface.start();
        LOG.info("retrain trigger started for {} (trainer {}, cooldown {} ms, schedule {} ms of market time, jobs {})",
                config.modelKeys(), config.trainer(), config.cooldownMs(), config.scheduleIntervalMs(), mode);
    }

    private void storeExamples(List<ConsumerRecord<String, LabeledExample>> batch) {
        List<LabeledExample> values = new ArrayList<>(batch.size());
        long known = Long.MIN_VALUE;
        for (ConsumerRecord<String, LabeledExample> r : batch) {
            values.add(r.value());
            // an example is known once its label window has ended
            known = Math.max(known, r.value().getTimeMs() + r.value().getHorizonMinutes() * 60_000L);
        }
        int stored = examples.insert(values);
        examplesStored.addAndGet(stored);
        opsSurface.examplesStored(stored);
        if (mode == JobMode.CONTINUOUS) {
            clock.observe(known);
        }
    }

    private void onPerformance(PerformanceReport report) {
        monitoring.record(report);
        opsSurface.performance(report);
        judge(new Signal(report.getTimeMs(), 0, report.getModelKey(), report.getReportId(), () -> {
            rollback.onPerformance(report);
            policy.onPerformance(report);
        }));
    }

    private void onDrift(DriftEvent event) {
        monitoring.record(event);
        opsSurface.drift(event);
        judge(new Signal(event.getTimeMs(), 1, event.getModelKey(), event.getEventId(), () -> policy.onDrift(event)));
    }

    /**
     * Stores the outcomes a shadow was scored on, and judges each shadow that got new ones ({@link ShadowReview});
     * outcomes without a shadow are the stream's business, not the lifecycle's.
     */
    private void onOutcomes(List<ConsumerRecord<String, Outcome>> batch) {
        List<Outcome> values = new ArrayList<>(batch.size());
        Map<String, Outcome> latest = new HashMap<>();
        for (ConsumerRecord<String, Outcome> r : batch) {
            values.add(r.value());
            if (r.value().getShadowModelVersion() != null) {
                latest.merge(r.value().getModelKey(), r.value(),
                        (a, b) -> b.getResolvedAtMs() >= a.getResolvedAtMs() ? b : a);
            }
        }
        for (String key : shadowOutcomes.record(values)) {
            Outcome last = latest.get(key);
            judge(new Signal(last.getResolvedAtMs(), 2, key, "outcome|" + last.getPredictionId(),
                    () -> shadowReview.review(key)));
        }
    }

    /**
     * Judges every key's shadow, so that one whose probation ended is retired even when no outcome arrives; at most
     * once a minute of wall time when jobs run continuously, at every step of a backtest.
     */
    private void reviewShadows() {
        long now = System.currentTimeMillis();
        if (mode == JobMode.CONTINUOUS && now < shadowsReviewedAtMs + 60_000) {
            return;
        }
        shadowsReviewedAtMs = now;
        config.modelKeys().forEach(shadowReview::review);
    }

    private void judge(Signal signal) {
        if (mode == JobMode.CONTINUOUS) {
            clock.observe(signal.timeMs());
            signal.judge().run();
        } else {
            synchronized (inbox) {
                inbox.add(signal);
            }
        }
    }

    /**
     * Who may send ops requests over Kafka, and under what name (the principal whose token signed the request). Until
     * this is called every such request is refused: a trigger that knows no ops token can verify none.
     */
    public void authorizeKafkaOpsRequests(OpsRequestAuthority authority) {
        this.kafkaOpsAuthority = authority;
    }

    private void onOpsRequest(RetrainRequest request) {
        try {
            OpsRequestAuthority.Verdict verdict = kafkaOpsAuthority.check(request);
            if (!verdict.isAllowed()) {
                opsSurface.desk().refuse(request, "kafka", verdict.refusal());
                return;
            }
            // carried out, logged and answered on ops.responses, under the name that signed it
            opsSurface.desk().submit(RetrainRequest.newBuilder(request).setRequestedBy(verdict.principal()).build(),
                    "kafka");
        } catch (IllegalArgumentException e) {
            LOG.warn("ops request ignored: {}", e.getMessage());
        }
    }

    private void work(boolean schedules) {
        while (running) {
            try {
                if (schedules) {
                    // completes a promotion that a crash or a Kafka outage left committed but unpublished
                    outbox.publishPending();
                    policy.onSchedule();
                    reviewShadows();
                }
                Optional<TrainingJob> job = claim();
                if (job.isPresent()) {
                    runJob(job.get());
                    continue;
                }
                Thread.sleep(config.pollIntervalMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("job loop error; retrying after {} ms", config.pollIntervalMs(), e);
                sleepQuietly(config.pollIntervalMs());
            }
        }
    }

    private Optional<TrainingJob> claim() {
        return jobs.claimNext(config.jobs().instanceId(), config.jobs().leaseMs());
    }

    private void runJob(TrainingJob job) {
        if (job.attempts() > 1) {
            LOG.warn("job {} ({}) claimed again (attempt {}): an earlier runner died or lost its lease", job.id(),
                    job.modelKey(), job.attempts());
        }
        long started = System.nanoTime();
        runningJobs.add(job);
        try {
            JobStatus status = jobProcess != null ? jobProcess.run(job) : runner.run(job);
            opsSurface.jobFinished(job, status, Duration.ofNanos(System.nanoTime() - started));
        } catch (LeaseLostException e) {
            LOG.warn("{}; stopped before deciding anything", e.getMessage());
        } catch (RuntimeException e) {
            // the supervision of the job's process broke (the database, the relay): end the job now, not after
            // its lease runs out
            LOG.error("job {} ({}) could not be supervised", job.id(), job.modelKey(), e);
            runner.diedWithoutEnding(job, "could not be supervised: " + e);
        } finally {
            runningJobs.remove(job);
        }
    }

    private void renewLeases() {
        for (TrainingJob job : runningJobs) {
            try {
                if (!jobs.renewLease(job, config.jobs().leaseMs())) {
                    LOG.warn("the lease of job {} ({}) was lost; the job stops at its next step", job.id(),
                            job.modelKey());
                }
            } catch (RuntimeException e) {
                LOG.warn("renewing the lease of job {} failed: {}", job.id(), e.toString());
            }
        }
    }

    /**
     * A backtest's step ({@link JobMode#STEPPED} only): market time becomes {@code marketTimeMs}; the drift and
     * performance events received so far are judged in event-time order (ties: performance before drift, then key
     * and id), then the schedule; then every queued job runs to its end on the caller's thread. The caller makes
     * sure the service has consumed every output of the stream up to that time first.
     */
    public StepResult step(long marketTimeMs) {
        if (mode != JobMode.STEPPED) {
            throw new IllegalStateException("step() drives a STEPPED trigger; this one runs jobs continuously");
        }
        clock.set(marketTimeMs);
        outbox.publishPending();
        List<Signal> due;
        synchronized (inbox) {
            due = new ArrayList<>(inbox);
            inbox.clear();
        }
        due.sort(Comparator.comparingLong(Signal::timeMs).thenComparingInt(Signal::kind)
                .thenComparing(Signal::modelKey).thenComparing(Signal::id));
        due.forEach(s -> s.judge().run());
        reviewShadows();
        policy.onSchedule();
        List<Long> ran = new ArrayList<>();
        Optional<TrainingJob> job;
        while ((job = claim()).isPresent()) {
            runJob(job.get());
            ran.add(job.get().id());
        }
        return new StepResult(due.size(), ran);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** New examples stored by this instance (duplicates from replays not counted). */
    public long examplesStored() {
        return examplesStored.get();
    }

    /** Market time as this trigger sees it. */
    public MarketClock clock() {
        return clock;
    }

    public JobStore jobs() {
        return jobs;
    }

    public ModelRegistryStore registry() {
        return registry;
    }

    /** The ops surface: request desk, read model, pipeline watch, alerts and meters (served by the HTTP API). */
    public OpsSurface opsSurface() {
        return opsSurface;
    }

    /** Each consumer loop and the job worker, and whether it is alive (readiness and liveness). */
    public Map<String, Boolean> loopsAlive() {
        Map<String, Boolean> alive = new LinkedHashMap<>();
        loops.forEach(l -> alive.put(l.name(), l.alive()));
        for (int i = 0; i < workers.size(); i++) {
            alive.put(i == 0 ? "job-worker" : "job-worker-" + (i + 1), workers.get(i).isAlive());
        }
        return alive;
    }

    @Override
    public Optional<String> deadComponent() {
        if (!running) {
            return Optional.empty();
        }
        return loopsAlive().entrySet().stream().filter(e -> !e.getValue()).findFirst()
                .map(e -> "trigger loop " + e.getKey() + " stopped"
                        + failure().map(f -> ": " + f).orElse(""));
    }

    /** The first consumer-loop failure, if any loop died. */
    public Optional<Throwable> failure() {
        return loops.stream().map(ConsumerLoop::failure).filter(f -> f != null).findFirst();
    }

    private void deadLetter(DeadLetter letter) {
        try {
            deadLetterProducer.send(new ProducerRecord<>(config.kafka().topics().name(Topics.DEADLETTER),
                    letter.getStage(), letter)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            // the record is not skipped: the loop stops loudly rather than lose it
            throw new IllegalStateException("cannot write a dead letter: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
        try {
            for (Thread worker : workers) {
                worker.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leaseKeeper.shutdownNow();
        loops.forEach(ConsumerLoop::close);
        opsSurface.close();
        publisher.close();
        deadLetterProducer.close(Duration.ofSeconds(5));
        pool.close();
    }
}
