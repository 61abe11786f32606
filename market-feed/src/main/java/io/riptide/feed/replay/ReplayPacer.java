package io.riptide.feed.replay;

/**
 * Paces replay against the wall clock: speed 0 means as fast as possible, speed N means N times real time. Event
 * times are never rewritten; only the moment a record is handed on changes.
 */
public final class ReplayPacer {
    private final double speed;
    private long firstEventMs = Long.MIN_VALUE;
    private long firstWallNanos;

    public ReplayPacer(double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be 0 (as fast as possible) or a positive factor, was " + speed);
        }
        this.speed = speed;
    }

    /** Blocks until the wall clock reaches the moment the event at {@code eventTimeMs} is due. */
    public void awaitEventTime(long eventTimeMs) throws InterruptedException {
        if (speed == 0) {
            return;
        }
        if (firstEventMs == Long.MIN_VALUE) {
            firstEventMs = eventTimeMs;
            firstWallNanos = System.nanoTime();
            return;
        }
        long dueNanos = firstWallNanos + (long) ((eventTimeMs - firstEventMs) * 1_000_000 / speed);
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    public double speed() {
        return speed;
    }
}
