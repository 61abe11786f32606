package io.riptide.trigger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.service.Service;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.api.OpsSettings;
import io.riptide.trigger.api.OpsSurface;
import io.riptide.trigger.internal.ConsumerLoop;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.Migrations;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.MonitoringStore;
import io.riptide.trigger.store.TrainingJob;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retrain-trigger service: sinks training examples and monitoring events into PostgreSQL, turns signals and
 * ops requests into jobs (see {@link RetrainPolicy}), and runs jobs one at a time on its own thread.
 */
public final class TriggerService implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerService.class);

    private final TriggerConfig config;
    private final KafkaClientFactory clients;
    private final ExampleStore examples;
    private final JobStore jobs;
    private final ModelRegistryStore registry;
    private final MonitoringStore monitoring;
    private final ModelPublisher publisher;
    private final RetrainPolicy policy;
    private final OpsRequestHandler ops;
    private final TrainingJobRunner runner;
    private final OpsSurface opsSurface;
    private final List<ConsumerLoop<?>> loops = new ArrayList<>();
    private final AtomicLong examplesStored = new AtomicLong();
    private final Thread worker;
    private volatile boolean running;

    public TriggerService(TriggerConfig config, KafkaClientFactory clients, DataSource dataSource) {
        this(config, OpsSettings.defaults(), clients, dataSource, Metrics.globalRegistry);
    }

    /** With the ops surface's settings and the registry its meters (and the Kafka clients' metrics) go to. */
    public TriggerService(TriggerConfig config, OpsSettings opsSettings, KafkaClientFactory clients,
                          DataSource dataSource, MeterRegistry meters) {
        this.config = config;
        this.clients = clients;
        int migrations = Migrations.migrate(dataSource);
        LOG.info("PostgreSQL schema up to date ({} migrations applied now)", migrations);
        this.examples = new ExampleStore(dataSource);
        this.jobs = new JobStore(dataSource);
        this.registry = new ModelRegistryStore(dataSource);
        this.monitoring = new MonitoringStore(dataSource);
        KafkaProducer<String, SpecificRecord> publisherProducer = clients.producer("riptide-trigger-publisher",
                config.groupId() + "-publisher");
        this.publisher = new ModelPublisher(publisherProducer, config.inlineArtifactMaxBytes());
        this.policy = new RetrainPolicy(config, jobs, examples, registry, Clock.systemUTC());
        this.ops = new OpsRequestHandler(policy, registry, publisher);
        this.runner = new TrainingJobRunner(config, examples, jobs, registry, publisher);
        this.opsSurface = new OpsSurface(config, opsSettings, clients, dataSource, jobs, ops, meters);
        opsSurface.bind(publisherProducer);
        this.worker = new Thread(this::work, "riptide-trigger-jobs");
        this.worker.setDaemon(true);
    }

    @Override
    public String name() {
        return "trigger";
    }

    @Override
    public void start() {
        running = true;
        int requeued = jobs.requeueInterrupted();
        if (requeued > 0) {
            LOG.warn("{} jobs left running by a previous instance were requeued", requeued);
        }
        loops.add(new ConsumerLoop<>("example-sink", opsSurface.bind(clients.consumer(config.groupId(),
                Topics.TRAINING_EXAMPLES)),
                Topics.TRAINING_EXAMPLES.name(), this::storeExamples));
        loops.add(new ConsumerLoop<>("performance-listener", opsSurface.bind(clients.consumer(config.groupId(),
                Topics.PERFORMANCE)),
                Topics.PERFORMANCE.name(), batch -> batch.forEach(r -> onPerformance(r.value()))));
        loops.add(new ConsumerLoop<>("drift-listener", opsSurface.bind(clients.consumer(config.groupId(),
                Topics.DRIFT)),
                Topics.DRIFT.name(), batch -> batch.forEach(r -> onDrift(r.value()))));
        loops.add(new ConsumerLoop<>("ops-listener", opsSurface.bind(clients.consumer(config.groupId(),
                Topics.RETRAIN_REQUESTS)),
                Topics.RETRAIN_REQUESTS.name(), batch -> batch.forEach(r -> onOpsRequest(r.value()))));
        loops.forEach(ConsumerLoop::start);
        worker.start();
        opsSurface.start();
        LOG.info("retrain trigger started for {} (trainer {}, cooldown {} ms, schedule {} ms)", config.modelKeys(),
                config.trainer(), config.cooldownMs(), config.scheduleIntervalMs());
    }

    private void storeExamples(List<ConsumerRecord<String, LabeledExample>> batch) {
        List<LabeledExample> values = new ArrayList<>(batch.size());
        batch.forEach(r -> values.add(r.value()));
        int stored = examples.insert(values);
        examplesStored.addAndGet(stored);
        opsSurface.examplesStored(stored);
    }

    private void onPerformance(PerformanceReport report) {
        monitoring.record(report);
        opsSurface.performance(report);
        policy.onPerformance(report);
    }

    private void onDrift(DriftEvent event) {
        monitoring.record(event);
        opsSurface.drift(event);
        policy.onDrift(event);
    }

    private void onOpsRequest(RetrainRequest request) {
        try {
            opsSurface.desk().submit(request, "kafka"); // carried out, logged and answered on ops.responses
        } catch (IllegalArgumentException e) {
            LOG.warn("ops request ignored: {}", e.getMessage());
        }
    }

    private void work() {
        while (running) {
            try {
                policy.onSchedule();
                Optional<TrainingJob> job = jobs.claimNext();
                if (job.isPresent()) {
                    long started = System.nanoTime();
                    JobStatus status = runner.run(job.get());
                    opsSurface.jobFinished(job.get(), status, Duration.ofNanos(System.nanoTime() - started));
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
        alive.put("job-worker", worker.isAlive());
        return alive;
    }

    /** The first consumer-loop failure, if any loop died. */
    public Optional<Throwable> failure() {
        return loops.stream().map(ConsumerLoop::failure).filter(f -> f != null).findFirst();
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.forEach(ConsumerLoop::close);
        opsSurface.close();
        publisher.close();
    }
}
