package io.riptide.feed.binance.internal;

import java.util.function.LongSupplier;

/**
 * Keeps REST calls inside Binance's per-minute request-weight budget. The exchange's own count
 * ({@code X-MBX-USED-WEIGHT-1M}) wins over ours when it is reported; a 429/418 answer blocks all calls until its
 * {@code Retry-After} has passed.
 */
public final class RequestWeightLimiter {
    private static final long MINUTE_MS = 60_000;

    private final int limitPerMinute;
    private final LongSupplier clockMs;
    private long windowStartMs = Long.MIN_VALUE;
    private int usedInWindow;
    private long blockedUntilMs;

    /** @param limitPerMinute the budget to stay under; keep a margin below the published limit */
    public RequestWeightLimiter(int limitPerMinute, LongSupplier clockMs) {
        if (limitPerMinute < 1) {
            throw new IllegalArgumentException("weight limit must be >= 1, was " + limitPerMinute);
        }
        this.limitPerMinute = limitPerMinute;
        this.clockMs = clockMs;
    }

    /** Milliseconds to wait before a call of weight {@code cost} may be made; 0 when it may go now. */
    public synchronized long delayMs(int cost) {
        long now = clockMs.getAsLong();
        if (now < blockedUntilMs) {
            return blockedUntilMs - now;
        }
        roll(now);
        if (usedInWindow + cost > limitPerMinute && usedInWindow > 0) {
            return windowStartMs + MINUTE_MS - now;
        }
        return 0;
    }

    /** Records a call made now; {@code reportedUsed} is the exchange's count for the minute, or -1. */
    public synchronized void record(int cost, int reportedUsed) {
        roll(clockMs.getAsLong());
        usedInWindow = reportedUsed >= 0 ? Math.max(reportedUsed, usedInWindow + cost) : usedInWindow + cost;
    }

    /** The exchange said "too many requests": no call before {@code retryAfterMs} from now. */
    public synchronized void backOff(long retryAfterMs) {
        blockedUntilMs = Math.max(blockedUntilMs, clockMs.getAsLong() + retryAfterMs);
    }

    private void roll(long now) {
        long window = now - Math.floorMod(now, MINUTE_MS);
        if (window != windowStartMs) {
            windowStartMs = window;
            usedInWindow = 0;
        }
    }
}
