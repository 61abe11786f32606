package io.riptide.trigger;

import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.LabeledExample;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.service.Service;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.internal.ConsumerLoop;
import io.riptide.trigger.store.ExampleStore;
import io.riptide.trigger.store.JobStore;
import io.riptide.trigger.store.Migrations;
import io.riptide.trigger.store.ModelRegistryStore;
import io.riptide.trigger.store.MonitoringStore;
import io.riptide.trigger.store.TrainingJob;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
    private final List<ConsumerLoop<?>> loops = new ArrayList<>();
    private final AtomicLong examplesStored = new AtomicLong();
    private final Thread worker;
    private volatile boolean running;

    public TriggerService(TriggerConfig config, KafkaClientFactory clients, DataSource dataSource) {
        this.config = config;
        this.clients = clients;
        int migrations = Migrations.migrate(dataSource);
        LOG.info("PostgreSQL schema up to date ({} migrations applied now)", migrations);
        this.examples = new ExampleStore(dataSource);
        this.jobs = new JobStore(dataSource);
        this.registry = new ModelRegistryStore(dataSource);
        this.monitoring = new MonitoringStore(dataSource);
        this.publisher = new ModelPublisher(clients.producer("riptide-trigger-publisher",
                config.groupId() + "-publisher"), config.inlineArtifactMaxBytes());
        this.policy = new RetrainPolicy(config, jobs, examples, registry, Clock.systemUTC());
        this.ops = new OpsRequestHandler(policy, registry, publisher);
        this.runner = new TrainingJobRunner(config, examples, jobs, registry, publisher);
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
        loops.add(new ConsumerLoop<>("example-sink", clients.consumer(config.groupId(), Topics.TRAINING_EXAMPLES),
                Topics.TRAINING_EXAMPLES.name(), this::storeExamples));
        loops.add(new ConsumerLoop<>("performance-listener", clients.consumer(config.groupId(), Topics.PERFORMANCE),
                Topics.PERFORMANCE.name(), batch -> batch.forEach(r -> onPerformance(r.value()))));
        loops.add(new ConsumerLoop<>("drift-listener", clients.consumer(config.groupId(), Topics.DRIFT),
                Topics.DRIFT.name(), batch -> batch.forEach(r -> onDrift(r.value()))));
        loops.add(new ConsumerLoop<>("ops-listener", clients.consumer(config.groupId(), Topics.RETRAIN_REQUESTS),
                Topics.RETRAIN_REQUESTS.name(), batch -> batch.forEach(r -> onOpsRequest(r.value()))));
        loops.forEach(ConsumerLoop::start);
        worker.start();
        LOG.info("retrain trigger started for {} (trainer {}, cooldown {} ms, schedule {} ms)", config.modelKeys(),
                config.trainer(), config.cooldownMs(), config.scheduleIntervalMs());
    }

    private void storeExamples(List<ConsumerRecord<String, LabeledExample>> batch) {
        List<LabeledExample> values = new ArrayList<>(batch.size());
        batch.forEach(r -> values.add(r.value()));
        examplesStored.addAndGet(examples.insert(values));
    }

    private void onPerformance(PerformanceReport report) {
        monitoring.record(report);
        policy.onPerformance(report);
    }

    private void onDrift(DriftEvent event) {
        monitoring.record(event);
        policy.onDrift(event);
    }

    private void onOpsRequest(RetrainRequest request) {
        LOG.info("ops request {} ({} {} by {}): {}", request.getRequestId(), request.getAction(),
                request.getModelKey(), request.getRequestedBy(), ops.handle(request));
    }

    private void work() {
        while (running) {
            try {
                policy.onSchedule();
                Optional<TrainingJob> job = jobs.claimNext();
                if (job.isPresent()) {
                    runner.run(job.get());
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
        publisher.close();
    }
}
