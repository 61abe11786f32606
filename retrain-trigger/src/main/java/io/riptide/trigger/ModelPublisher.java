package io.riptide.trigger;

import io.riptide.schemas.avro.JobStatus;
import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.ReferenceDistribution;
import io.riptide.schemas.avro.TrainingJobEvent;
import io.riptide.schemas.security.ModelSigning;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import io.riptide.trigger.store.ModelRegistryStore.PublicationRole;
import io.riptide.trigger.store.StoredModel;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Publishes model versions (compacted, keyed by model key and role) and job lifecycle events, each in a Kafka
 * transaction so consumers reading committed data never see half of a publication.
 */
public final class ModelPublisher implements AutoCloseable {
    private final Producer<String, SpecificRecord> producer;
    private final int inlineMaxBytes;
    private final TopicNamespace topics;
    private final ModelSigning signing;

    /** @param signing signs every version, so that only this trigger's versions serve (docs/SECURITY.md) */
    public ModelPublisher(Producer<String, SpecificRecord> transactionalProducer, int inlineMaxBytes,
                          TopicNamespace topics, ModelSigning signing) {
        this.producer = transactionalProducer;
        this.inlineMaxBytes = inlineMaxBytes;
        this.topics = topics;
        this.signing = signing;
        producer.initTransactions();
    }

    /**
     * Tells every stream instance what {@code model} is now: its key's production version, its shadow, or no longer
     * its shadow (a withdrawal, which carries no artifact).
     */
    public synchronized ModelVersion publish(StoredModel model, PublicationRole role, String reason) {
        ModelRole served = role == PublicationRole.PRODUCTION ? ModelRole.PRODUCTION : ModelRole.SHADOW;
        ModelVersion version = toModelVersion(model, served, reason, System.currentTimeMillis(),
                role == PublicationRole.SHADOW_WITHDRAWN);
        send(new ProducerRecord<>(topics.name(Topics.MODEL_VERSIONS), null, version.getPublishedAtMs(),
                Topics.modelVersionKey(model.modelKey(), served), version));
        return version;
    }

    public synchronized void publishJobEvent(long jobId, String modelKey, JobStatus status, String trigger,
                                             double progress, String message, Integer candidateVersion,
                                             Map<String, Double> metrics) {
        TrainingJobEvent event = TrainingJobEvent.newBuilder().setJobId(jobId).setModelKey(modelKey)
                .setStatus(status).setTrigger(trigger).setProgress(progress).setMessage(message)
                .setTimeMs(System.currentTimeMillis()).setCandidateVersion(candidateVersion)
                .setMetrics(new HashMap<>(metrics)).build();
        send(new ProducerRecord<>(topics.name(Topics.TRAINING_JOBS), modelKey, event));
    }

    private void send(ProducerRecord<String, SpecificRecord> record) {
        producer.beginTransaction();
        try {
            producer.send(record);
            producer.commitTransaction();
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    /** @param withdrawn a withdrawal: no artifact travels (it is never loaded), so none is compressed either */
    ModelVersion toModelVersion(StoredModel model, ModelRole role, String reason, long publishedAtMs,
                                boolean withdrawn) {
        byte[] gzip = withdrawn ? null : gzip(model.artifact());
        boolean inline = gzip != null && gzip.length <= inlineMaxBytes;
        return signing.sign(ModelVersion.newBuilder()
                .setModelKey(model.modelKey()).setRole(role).setVersion(model.version()).setFormat(model.format())
                .setSha256(model.sha256()).setFeatureSetId(model.featureSetId())
                .setFeatureSetHash(model.featureSetHash()).setFeatureNames(model.featureNames())
                .setTrainedAtMs(model.createdAtMs()).setPublishedAtMs(publishedAtMs)
                .setTrainingExamples(model.trainingExamples()).setMetrics(new HashMap<>(model.metrics()))
                .setReferenceDistributions(references(model))
                .setArtifactGzip(inline ? ByteBuffer.wrap(gzip) : null)
                .setArtifactPointer(inline || withdrawn ? null : "postgres:ml_models/" + model.id())
                .setArtifactBytes(withdrawn ? 0 : model.artifact().length).setReason(reason).setWithdrawn(withdrawn)
                .setCalibration(model.calibration().equals("none") ? null : model.calibration()).build());
    }

    @SuppressWarnings("unchecked")
    private static List<ReferenceDistribution> references(StoredModel model) {
        List<ReferenceDistribution> references = new ArrayList<>();
        for (Map<String, Object> r : model.referenceDistributions()) {
            if (r.get("name") == null) {
                continue;
            }
            List<Double> fractions = doubles((List<Number>) r.get("binFractions"));
            references.add(ReferenceDistribution.newBuilder().setName((String) r.get("name"))
                    .setBinEdges(innerEdges(doubles((List<Number>) r.get("binEdges")), fractions.size()))
                    .setBinFractions(fractions).build());
        }
        return references;
    }

    /**
     * The inner edges the ReferenceDistribution schema promises (k - 1 edges for k bins). Training records
     * {@code FeatureDistribution}'s full edges, minimum and maximum included (k + 1 for k bins); published as they
     * were, every live value would be counted one bin above its reference bin and PSI would report drift where
     * there is none.
     */
    static List<Double> innerEdges(List<Double> edges, int bins) {
        if (bins <= 1) {
            return List.of(); // a constant (or absent) feature: one bin, no edge
        }
        if (edges.size() == bins + 1) {
            return new ArrayList<>(edges.subList(1, edges.size() - 1));
        }
        if (edges.size() == bins - 1) {
            return edges;
        }
        throw new IllegalArgumentException("reference distribution has " + edges.size() + " edges for " + bins
                + " bins");
    }

    private static List<Double> doubles(List<Number> numbers) {
        List<Double> out = new ArrayList<>(numbers.size());
        numbers.forEach(n -> out.add(n.doubleValue()));
        return out;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(buffer)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    @Override
    public void close() {
        producer.close();
    }
}
