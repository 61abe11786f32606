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
        StoreCodec.putBytes(b, instrumentBytes).putLong(endMs);
        StoreCodec.putBytes(b, regimeBytes);
        StoreCodec.putDoubles(b, features);
        StoreCodec.putDoubles(b, onlineProbability);
        return b.array();
    }

    static ClosedBar decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        String instrument = StoreCodec.string(b);
        long endMs = b.getLong();
        String regime = StoreCodec.string(b);
        double[] features = StoreCodec.doubles(b);
        return new ClosedBar(instrument, endMs, regime, features, StoreCodec.doubles(b));
    }
}
