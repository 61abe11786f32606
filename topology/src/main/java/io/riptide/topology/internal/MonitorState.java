package io.riptide.topology.internal;

import io.riptide.schemas.avro.ReferenceDistribution;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Per model version: drift bin counts of the current window and a ring of the latest resolved outcomes. */
final class MonitorState {
    long[][] driftCounts = new long[0][];
    long driftSamples;
    final double[] scores;
    final double[] labels;
    final long[] times;
    int size;
    int next;
    int outcomesSinceReport;

    private MonitorState(int window) {
        scores = new double[window];
        labels = new double[window];
        times = new long[window];
    }

    static MonitorState empty(int window) {
        return new MonitorState(window);
    }

    void ensureDriftBins(List<ReferenceDistribution> references) {
        if (driftCounts.length == references.size()) {
            return;
        }
        driftCounts = new long[references.size()][];
        for (int r = 0; r < references.size(); r++) {
            driftCounts[r] = new long[references.get(r).getBinEdges().size() + 1];
        }
        driftSamples = 0;
    }

    void resetDrift() {
        for (long[] counts : driftCounts) {
            java.util.Arrays.fill(counts, 0);
        }
        driftSamples = 0;
    }

    void addOutcome(double score, int label, long timeMs) {
        scores[next] = score;
        labels[next] = label;
        times[next] = timeMs;
        next = (next + 1) % scores.length;
        size = Math.min(size + 1, scores.length);
        outcomesSinceReport++;
    }

    double[] windowScores() {
        return ordered(scores);
    }

    double[] windowLabels() {
        return ordered(labels);
    }

    long windowStartMs() {
        return size < scores.length ? times[0] : times[next];
    }

    private double[] ordered(double[] ring) {
        double[] out = new double[size];
        int start = size < ring.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return out;
    }

    byte[] toBytes() {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeInt(scores.length);
            out.writeInt(driftCounts.length);
            for (long[] counts : driftCounts) {
                out.writeInt(counts.length);
                for (long c : counts) {
                    out.writeLong(c);
                }
            }
            out.writeLong(driftSamples);
            out.writeInt(size);
            out.writeInt(next);
            out.writeInt(outcomesSinceReport);
            for (int i = 0; i < scores.length; i++) {
                out.writeDouble(scores[i]);
                out.writeDouble(labels[i]);
                out.writeLong(times[i]);
            }
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MonitorState fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            MonitorState state = new MonitorState(in.readInt());
            state.driftCounts = new long[in.readInt()][];
            for (int r = 0; r < state.driftCounts.length; r++) {
                state.driftCounts[r] = new long[in.readInt()];
                for (int b = 0; b < state.driftCounts[r].length; b++) {
                    state.driftCounts[r][b] = in.readLong();
                }
            }
            state.driftSamples = in.readLong();
            state.size = in.readInt();
            state.next = in.readInt();
            state.outcomesSinceReport = in.readInt();
            for (int i = 0; i < state.scores.length; i++) {
                state.scores[i] = in.readDouble();
                state.labels[i] = in.readDouble();
                state.times[i] = in.readLong();
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
