package io.riptide.topology.internal;

import io.riptide.schemas.avro.MonitoringSample;
import io.riptide.schemas.avro.SampleKind;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts a monitor partition's samples back in event-time order. Samples of one model come from every instrument's
 * task, interleaved however the tasks happened to run; sequential detectors (ADWIN, Page-Hinkley, windows of N
 * outcomes) must see them in an order that depends on event time only. Each sample stands at an event time
 * ({@code atMs}) and carries its instrument's watermark; a sample is released once every instrument heard on this
 * partition has passed it, in (atMs, instrument, kind, model key, version, prediction time) order.
 *
 * <p>An instrument that stops sending samples would hold the others back; like a silent market source it is
 * passed over once it has been silent for the idle wall-clock time and is more than the idle event time behind.
 * Waiting samples live in the monitor store under {@code Z|} keys, written at the commit after they arrive (one
 * released before then is never written), so a restart loses none.
 */
final class SampleReorder {
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, byte[]> store;
    private final long idleWallMs;
    private final long idleEventMs;
    private final TreeMap<String, MonitoringSample> waiting = new TreeMap<>();
    private final Map<String, long[]> instruments = new HashMap<>();
    /** Waiting samples offered since the last commit: not in the store yet, so one released before it costs nothing. */
    private final java.util.Set<String> unwritten = new java.util.HashSet<>();
    private boolean loaded;

    SampleReorder(KeyValueStore<String, byte[]> store, long idleWallMs, long idleEventMs) {
        this.store = store;
        this.idleWallMs = idleWallMs;
        this.idleEventMs = idleEventMs;
    }

    /** Takes a sample and hands every sample now due to {@code release}, in order. */
    void offer(MonitoringSample sample, long wallNowMs, Consumer<MonitoringSample> release) {
        load();
        long[] clock = instruments.computeIfAbsent(sample.getInstrument(), i -> new long[]{Long.MIN_VALUE, 0});
        clock[1] = wallNowMs;
        if (sample.getWatermarkMs() != null) {
            clock[0] = Math.max(clock[0], sample.getWatermarkMs());
        }
        String key = keyOf(sample);
        if (waiting.put(key, sample) != null && !unwritten.contains(key)) {
            store.put(key, encode(sample)); // replaces a stored one: a release before the commit must delete it
        } else {
            unwritten.add(key);
        }
        release(wallNowMs, release);
    }

    /** Hands every due sample to {@code release}: those standing before every live instrument's watermark. */
    void release(long wallNowMs, Consumer<MonitoringSample> release) {
        load();
        long through = watermark(wallNowMs);
        while (!waiting.isEmpty()) {
            Map.Entry<String, MonitoringSample> head = waiting.firstEntry();
            if (head.getValue().getAtMs() >= through) {
                break;
            }
            waiting.pollFirstEntry();
            if (!unwritten.remove(head.getKey())) {
                store.delete(head.getKey());
            }
            release.accept(head.getValue());
        }
    }

    private long watermark(long wallNowMs) {
        long ahead = Long.MIN_VALUE;
        for (long[] clock : instruments.values()) {
            ahead = Math.max(ahead, clock[0]);
        }
        long low = Long.MAX_VALUE;
        for (long[] clock : instruments.values()) {
            boolean silent = wallNowMs - clock[1] > idleWallMs;
            boolean behind = clock[0] == Long.MIN_VALUE || ahead - clock[0] > idleEventMs;
            if (!(silent && behind)) {
                low = Math.min(low, clock[0]);
            }
        }
        return low == Long.MAX_VALUE ? ahead : low;
    }

    /** Writes the samples offered since the last commit that still wait; run just before each commit. */
    void commit() {
        for (String key : unwritten) {
            store.put(key, encode(waiting.get(key)));
        }
        unwritten.clear();
    }

    int waiting() {
        return waiting.size();
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        try (KeyValueIterator<String, byte[]> it = store.prefixScan("Z|", KEYS)) {
            it.forEachRemaining(kv -> waiting.put(kv.key, decode(kv.value)));
        }
    }

    private static String keyOf(MonitoringSample s) {
        StringBuilder b = new StringBuilder(96).append("Z|");
        StoreKeys.appendPadded(b, Math.max(0, s.getAtMs()), 13);
        b.append('|').append(s.getInstrument()).append('|').append(s.getKind() == SampleKind.PREDICTION ? 'P' : 'O')
                .append('|').append(s.getModelKey()).append('|');
        StoreKeys.appendPadded(b, Math.max(0, s.getModelVersion()), 6);
        b.append('|');
        StoreKeys.appendPadded(b, Math.max(0, s.getTimeMs()), 13);
        return b.toString();
    }

    private static byte[] encode(MonitoringSample s) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(128 + 8 * s.getFeatures().size());
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeByte(s.getKind().ordinal());
            out.writeUTF(s.getModelKey());
            out.writeInt(s.getModelVersion());
            out.writeUTF(s.getInstrument());
            out.writeLong(s.getTimeMs());
            out.writeDouble(s.getProbability());
            out.writeInt(s.getLabel() == null ? -1 : s.getLabel());
            out.writeLong(s.getAtMs());
            out.writeInt(s.getFeatures().size());
            for (double f : s.getFeatures()) {
                out.writeDouble(f);
            }
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MonitoringSample decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            MonitoringSample.Builder b = MonitoringSample.newBuilder()
                    .setKind(SampleKind.values()[in.readByte()]).setModelKey(in.readUTF())
                    .setModelVersion(in.readInt()).setInstrument(in.readUTF()).setTimeMs(in.readLong())
                    .setProbability(in.readDouble());
            int label = in.readInt();
            b.setLabel(label < 0 ? null : label).setAtMs(in.readLong());
            List<Double> features = new ArrayList<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                features.add(in.readDouble());
            }
            return b.setFeatures(features).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
