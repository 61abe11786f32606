package io.riptide.topology.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A closed bar's point-in-time features, waiting in the micro-batch for its predictions.
 *
 * @param endMs             end of the bar (exclusive), the time of its predictions
 * @param onlineProbability per horizon (in the configured order), the instrument's online learner's probability at
 *                          bar close, or NaN while it has not learned enough to be blended in. Taken at bar close,
 *                          not at batch time, so the prediction does not depend on when the batch was scored.
 */
record ClosedBar(String instrument, long endMs, String regime, double[] features, double[] onlineProbability) {

    byte[] encode() {
        byte[] instrumentBytes = instrument.getBytes(StandardCharsets.UTF_8);
        byte[] regimeBytes = regime.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + instrumentBytes.length + 8 + 4 + regimeBytes.length + 4
                + 8 * features.length + 4 + 8 * onlineProbability.length);
        b.putInt(instrumentBytes.length).put(instrumentBytes).putLong(endMs);
        b.putInt(regimeBytes.length).put(regimeBytes);
        putDoubles(b, features);
        putDoubles(b, onlineProbability);
        return b.array();
    }

    static ClosedBar decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        String instrument = string(b);
        long endMs = b.getLong();
        String regime = string(b);
        double[] features = doubles(b);
        return new ClosedBar(instrument, endMs, regime, features, doubles(b));
    }

    private static void putDoubles(ByteBuffer b, double[] values) {
        b.putInt(values.length);
        for (double v : values) {
            b.putDouble(v);
        }
    }

    private static double[] doubles(ByteBuffer b) {
        double[] values = new double[b.getInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = b.getDouble();
        }
        return values;
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
