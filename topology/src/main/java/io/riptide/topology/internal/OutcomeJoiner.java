package io.riptide.topology.internal;

import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.Outcome;
import io.riptide.schemas.avro.SampleKind;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Joins what was served with what happened: a prediction's outcome is its served probability (from the predictor)
 * and its final label (from the labeller), whichever comes second. A bar's label can be final before its
 * prediction is scored (a fast replay while the bar waits for its batch), and a prediction waits for its label as
 * long as its horizon; either half waits in the store ({@code P|id} served, {@code R|id} label) for the other.
 * Emits the outcome and the monitoring sample of the outcome, standing at the moment the label became final.
 */
public final class OutcomeJoiner implements Processor<String, Object, String, Object> {
    private final Map<String, Long> watermarks = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(NodeNames.OUTCOME_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        String instrument = record.key();
        Object value = record.value();
        if (value instanceof Messages.SampleWatermark w) {
            watermarks.merge(instrument, w.timeMs(), Math::max);
        } else if (value instanceof Messages.ScoredPrediction served) {
            byte[] label = store.get("R|" + served.predictionId());
            if (label == null) {
                store.put("P|" + served.predictionId(), encode(served));
            } else {
                store.delete("R|" + served.predictionId());
                emit(instrument, served, decodeLabel(label));
            }
        } else if (value instanceof Messages.ResolvedLabel label) {
            byte[] served = store.get("P|" + label.predictionId());
            if (served == null) {
                store.put("R|" + label.predictionId(), encode(label));
            } else {
                store.delete("P|" + label.predictionId());
                emit(instrument, decodeServed(served), label);
            }
        }
    }

    private void emit(String instrument, Messages.ScoredPrediction p, Messages.ResolvedLabel label) {
        long horizonEnd = p.timeMs() + p.horizonMinutes() * 60_000L;
        context.forward(new Record<>(instrument, Outcome.newBuilder()
                .setPredictionId(p.predictionId()).setInstrument(instrument).setPredictionTimeMs(p.timeMs())
                .setHorizonMinutes(p.horizonMinutes()).setResolvedAtMs(horizonEnd).setLabel(label.label())
                .setRealizedValue(label.realizedNotional()).setModelKey(p.modelKey())
                .setModelVersion(p.modelVersion()).setProbability(p.probability())
                .setModelProbability(p.batchProbability())
                .setShadowModelVersion(p.hasShadow() ? p.shadowVersion() : null)
                .setShadowProbability(p.hasShadow() ? p.shadowProbability() : null).build(), horizonEnd),
                NodeNames.OUTCOMES_SINK);
        long finalAt = LiquidationLabeller.finalAt(p.timeMs(), p.horizonMinutes() * 60_000L);
        long watermark = Math.min(finalAt, watermarks.getOrDefault(instrument, Long.MIN_VALUE));
        forwardSample(instrument, p, p.modelVersion(), p.batchProbability(), label, finalAt, watermark, horizonEnd);
        if (p.hasShadow()) {
            // the shadow's own live metrics (performance reports under its version), on the same outcomes
            forwardSample(instrument, p, p.shadowVersion(), p.shadowProbability(), label, finalAt, watermark,
                    horizonEnd);
        }
    }

    private void forwardSample(String instrument, Messages.ScoredPrediction p, int version, double probability,
                               Messages.ResolvedLabel label, long finalAt, long watermark, long horizonEnd) {
        context.forward(new Record<>(p.modelKey(), MonitoringSample.newBuilder()
                .setKind(SampleKind.OUTCOME).setModelKey(p.modelKey()).setModelVersion(version)
                .setInstrument(instrument).setTimeMs(p.timeMs()).setProbability(probability)
                .setLabel(label.label()).setAtMs(finalAt).setWatermarkMs(watermark).build(), horizonEnd),
                NodeNames.MONITORING_SAMPLES_SINK);
    }

    private static byte[] encode(Messages.ScoredPrediction p) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeUTF(p.predictionId());
            out.writeLong(p.timeMs());
            out.writeInt(p.horizonMinutes());
            out.writeUTF(p.modelKey());
            out.writeInt(p.modelVersion());
            out.writeByte(p.role().ordinal());
            out.writeDouble(p.probability());
            out.writeDouble(p.batchProbability());
            out.writeInt(p.shadowVersion());
            out.writeDouble(p.shadowProbability());
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Messages.ScoredPrediction decodeServed(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String id = in.readUTF();
            long timeMs = in.readLong();
            int horizon = in.readInt();
            String modelKey = in.readUTF();
            int version = in.readInt();
            ModelRole role = ModelRole.values()[in.readByte()];
            double probability = in.readDouble();
            double batchProbability = in.readDouble();
            // a prediction stored before shadows were paired ends here
            boolean paired = in.available() > 0;
            return new Messages.ScoredPrediction(id, timeMs, horizon, modelKey, version, role, probability,
                    batchProbability, paired ? in.readInt() : Messages.ScoredPrediction.NO_SHADOW,
                    paired ? in.readDouble() : Double.NaN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(Messages.ResolvedLabel l) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeUTF(l.predictionId());
            out.writeLong(l.timeMs());
            out.writeInt(l.horizonMinutes());
            out.writeInt(l.label());
            out.writeDouble(l.realizedNotional());
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Messages.ResolvedLabel decodeLabel(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return new Messages.ResolvedLabel(in.readUTF(), in.readLong(), in.readInt(), in.readInt(),
                    in.readDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
