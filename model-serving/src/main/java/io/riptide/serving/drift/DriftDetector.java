package io.riptide.serving.drift;

/**
 * A sequential change detector fed one value at a time (per resolved outcome: its log-loss or 0/1 error).
 * Implementations keep bounded primitive state, allocate nothing per update except the {@link Detection} of an
 * alarm, and serialise completely: {@code fromBytes(d.toBytes())} continues exactly as {@code d} would.
 */
public interface DriftDetector {

    /** The detector's name as it goes into a drift event ({@code ADWIN}, {@code PAGE_HINKLEY}). */
    String name();

    /**
     * Adds one value.
     *
     * @return the alarm this value raised, or null
     * @throws IllegalArgumentException if {@code x} is NaN or infinite (clip losses before feeding them)
     */
    Detection update(double x);

    /** Forgets the values seen (the window, the running statistic); {@link #samples()} keeps counting. */
    void reset();

    /**
     * Concept drift on a loss: feeds {@code loss} and returns what it raised, or null. After a rise the detector
     * starts over, so one change of the loss raises one alarm, and the next alarm means it rose again. (ADWIN would
     * otherwise cut the same change again and again as it sheds the old window piece by piece.)
     */
    static Detection watchLoss(DriftDetector detector, double loss) {
        Detection d = detector.update(loss);
        if (d != null && d.isRise()) {
            detector.reset();
        }
        return d;
    }

    /** Values given so far, across restores and resets. */
    long samples();

    /** The complete state, led by a format byte (high nibble: detector, low nibble: version). */
    byte[] toBytes();

    /** Restores any detector of this package from {@link #toBytes()}, dispatching on the format byte. */
    static DriftDetector fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("drift detector state is empty");
        }
        return switch (bytes[0]) {
            case Adwin.FORMAT -> Adwin.fromBytes(bytes);
            case PageHinkley.FORMAT -> PageHinkley.fromBytes(bytes);
            default -> throw new IllegalArgumentException(String.format(
                    "drift detector state has unknown format byte 0x%02x", bytes[0] & 0xff));
        };
    }
}
