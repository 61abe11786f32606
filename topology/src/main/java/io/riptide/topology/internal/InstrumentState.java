package io.riptide.topology.internal;

import io.riptide.features.BarAggregator;
import io.riptide.features.FeatureSet;
import io.riptide.features.InstrumentFeatureEngine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the stream keeps per instrument: the open bar, the feature engine and the predictions awaiting
 * their outcome. Serialised whole into the changelogged instrument store, so a restarted task continues exactly.
 */
final class InstrumentState {
    private static final int FORMAT_VERSION = 1;

    final BarAggregator bars;
    final InstrumentFeatureEngine engine;
    final List<PendingPrediction> pending;
    long lastEventTimeMs;

    InstrumentState(BarAggregator bars, InstrumentFeatureEngine engine, List<PendingPrediction> pending,
                    long lastEventTimeMs) {
        this.bars = bars;
        this.engine = engine;
        this.pending = pending;
        this.lastEventTimeMs = lastEventTimeMs;
    }

    static InstrumentState fresh(FeatureSet featureSet) {
        return new InstrumentState(new BarAggregator(60_000L), new InstrumentFeatureEngine(featureSet),
                new ArrayList<>(), Long.MIN_VALUE);
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(lastEventTimeMs);
            writeBytes(out, bars.snapshot());
            writeBytes(out, engine.snapshot());
            out.writeInt(pending.size());
            for (PendingPrediction p : pending) {
                out.writeUTF(p.predictionId);
                out.writeLong(p.timeMs);
                out.writeInt(p.horizonMinutes);
                out.writeUTF(p.modelKey);
                out.writeInt(p.modelVersion);
                out.writeDouble(p.probability);
                out.writeUTF(p.regime);
                out.writeInt(p.features.length);
                for (double f : p.features) {
                    out.writeDouble(f);
                }
                out.writeDouble(p.realizedNotional);
            }
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InstrumentState fromBytes(FeatureSet featureSet, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT_VERSION) {
                throw new IllegalStateException("instrument state format " + format + " is not supported");
            }
            long lastEventTimeMs = in.readLong();
            BarAggregator bars = BarAggregator.restore(readBytes(in));
            InstrumentFeatureEngine engine = InstrumentFeatureEngine.restore(featureSet, readBytes(in));
            int n = in.readInt();
            List<PendingPrediction> pending = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                long time = in.readLong();
                int horizon = in.readInt();
                String key = in.readUTF();
                int version = in.readInt();
                double probability = in.readDouble();
                String regime = in.readUTF();
                double[] features = new double[in.readInt()];
                for (int f = 0; f < features.length; f++) {
                    features[f] = in.readDouble();
                }
                pending.add(new PendingPrediction(id, time, horizon, key, version, probability, regime, features,
                        in.readDouble()));
            }
            return new InstrumentState(bars, engine, pending, lastEventTimeMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}
