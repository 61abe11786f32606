package io.riptide.topology.internal;

import io.riptide.schemas.avro.ReferenceDistribution;
import io.riptide.serving.drift.Adwin;
import io.riptide.serving.drift.PageHinkley;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Per model version: the current data-drift window (bin counts of the score and every feature against the
 * version's training reference), the concept-drift detectors on per-outcome log-loss (ADWIN, Page-Hinkley), and a
 * ring of the latest resolved outcomes for performance reports.
 */
final class MonitorState {
    private static final int FORMAT = 2;

    long[][] driftCounts = new long[0][];
    long driftSamples;
    long driftWindowStartMs = Long.MIN_VALUE;
    final double[] scores;
    final double[] labels;
    final long[] times;
    int size;
    int next;
    int outcomesSinceReport;
    Adwin adwin;
    PageHinkley pageHinkley;

    private MonitorState(int window) {
        scores = new double[window];
        labels = new double[window];
        times = new long[window];
    }

    static MonitorState empty(int window, Adwin adwin, PageHinkley pageHinkley) {
        MonitorState state = new MonitorState(window);
        state.adwin = adwin;
        state.pageHinkley = pageHinkley;
        return state;
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
        driftWindowStartMs = Long.MIN_VALUE;
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
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeInt(FORMAT);
            out.writeInt(scores.length);
            out.writeInt(driftCounts.length);
            for (long[] counts : driftCounts) {
                out.writeInt(counts.length);
                for (long c : counts) {
                    out.writeLong(c);
                }
            }
            out.writeLong(driftSamples);
            out.writeLong(driftWindowStartMs);
            out.writeInt(size);
            out.writeInt(next);
            out.writeInt(outcomesSinceReport);
            for (int i = 0; i < scores.length; i++) {
                out.writeDouble(scores[i]);
                out.writeDouble(labels[i]);
                out.writeLong(times[i]);
            }
            writeDetector(out, adwin == null ? null : adwin.toBytes());
            writeDetector(out, pageHinkley == null ? null : pageHinkley.toBytes());
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeDetector(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readDetector(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    static MonitorState fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("monitor state of format " + format + ", this version reads " + FORMAT);
            }
            MonitorState state = new MonitorState(in.readInt());
            state.driftCounts = new long[in.readInt()][];
            for (int r = 0; r < state.driftCounts.length; r++) {
                state.driftCounts[r] = new long[in.readInt()];
                for (int b = 0; b < state.driftCounts[r].length; b++) {
                    state.driftCounts[r][b] = in.readLong();
                }
            }
            state.driftSamples = in.readLong();
            state.driftWindowStartMs = in.readLong();
            state.size = in.readInt();
            state.next = in.readInt();
            state.outcomesSinceReport = in.readInt();
            for (int i = 0; i < state.scores.length; i++) {
                state.scores[i] = in.readDouble();
                state.labels[i] = in.readDouble();
                state.times[i] = in.readLong();
            }
            byte[] adwin = readDetector(in);
            byte[] pageHinkley = readDetector(in);
            state.adwin = adwin == null ? null : Adwin.fromBytes(adwin);
            state.pageHinkley = pageHinkley == null ? null : PageHinkley.fromBytes(pageHinkley);
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
