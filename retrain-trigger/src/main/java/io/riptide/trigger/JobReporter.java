package io.riptide.trigger;

import io.riptide.schemas.avro.JobStatus;
import io.riptide.trigger.store.TrainingJob;

import java.util.Map;

/**
 * Where a running job tells what it does: its progress and its end (as {@code training.jobs} events), and that it
 * made a version production (which the outbox then publishes). In the service that is Kafka; in a job's own process
 * ({@link JobProcess}) it is a line on stdout that the service relays.
 */
public interface JobReporter {
    void progress(TrainingJob job, double progress, String message);

    void ended(TrainingJob job, JobStatus status, String message, Integer version, Map<String, Double> metrics);

    void promoted();

    /**
     * How long a stage of the job took: {@code load} (examples from PostgreSQL), {@code train}, {@code eval}
     * (calibration, scoring candidate and champion, the gates) and {@code publish} (the decision, the promotion and
     * its publication).
     */
    default void stageTimed(TrainingJob job, String stage, long nanos) {
    }

    /** Job events to {@code training.jobs}, promotions through the outbox. */
    static JobReporter publishing(ModelPublisher publisher, PromotionOutbox outbox) {
        return new JobReporter() {
            @Override
            public void progress(TrainingJob job, double progress, String message) {
                publisher.publishJobEvent(job.id(), job.modelKey(), JobStatus.RUNNING, job.trigger(), progress,
                        message, null, Map.of());
            }

            @Override
            public void ended(TrainingJob job, JobStatus status, String message, Integer version,
                              Map<String, Double> metrics) {
                publisher.publishJobEvent(job.id(), job.modelKey(), status, job.trigger(), 1, message, version,
                        metrics);
            }

            @Override
            public void promoted() {
                outbox.publishPending();
            }
        };
    }
}
