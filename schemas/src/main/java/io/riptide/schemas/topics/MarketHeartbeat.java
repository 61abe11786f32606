package io.riptide.schemas.topics;

import java.nio.charset.StandardCharsets;

/**
 * A feed's heartbeat on a market topic: a record keyed by the instrument, with an empty (null) value and a header
 * {@value #HEADER} holding an event time in epoch milliseconds (decimal ASCII). It promises that the feed has
 * written every record of that instrument on that topic stamped before the time. The stream's event-time merge waits
 * for every input of an instrument to pass a time before it uses that time, so heartbeats keep sparse inputs
 * (liquidations, a quiet book) from holding the instrument back. Records without the header and with a null
 * value are still refused as empty.
 */
public final class MarketHeartbeat {
    public static final String HEADER = "riptide.watermark";

    private MarketHeartbeat() {
    }

    public static byte[] encode(long eventTimeMs) {
        return Long.toString(eventTimeMs).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @throws IllegalArgumentException when the header does not hold a positive epoch-millisecond time
     */
    public static long decode(byte[] header) {
        if (header == null || header.length == 0 || header.length > 19) {
            throw new IllegalArgumentException("heartbeat header " + HEADER + " must hold 1 to 19 digits, got "
                    + (header == null ? "none" : header.length + " bytes"));
        }
        long value = 0;
        for (byte b : header) {
            if (b < '0' || b > '9') {
                throw new IllegalArgumentException("heartbeat header " + HEADER + " is not a decimal time");
            }
            value = value * 10 + (b - '0');
        }
        if (value <= 0) {
            throw new IllegalArgumentException("heartbeat time must be a positive epoch ms, got " + value);
        }
        return value;
    }
}
