package io.riptide.trigger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trigger's notion of now: market (event) time, the latest event time of the stream's outputs it has consumed
 * (an example becomes known when its label window ends; a drift or performance event at the moment it stands at).
 * Schedules, cooldowns and the market-time stamps of jobs run on it, so a replay at 240x or a backtest at machine
 * speed retrains on the same market schedule as a live run; live, it trails the wall clock by the pipeline's
 * latency. With no data flowing it stands still, and so does the schedule, which has nothing new to train on. A
 * backtest sets it directly ({@link #set}) at each of its steps.
 */
public final class MarketClock extends Clock {
    private final AtomicLong nowMs = new AtomicLong(Long.MIN_VALUE);

    /** Moves market time forward to {@code eventTimeMs} (never back). */
    public void observe(long eventTimeMs) {
        nowMs.accumulateAndGet(eventTimeMs, Math::max);
    }

    /** Sets market time (a backtest's step); never back. */
    public void set(long eventTimeMs) {
        observe(eventTimeMs);
    }

    /** Whether any market time has been seen yet. */
    public boolean started() {
        return nowMs.get() != Long.MIN_VALUE;
    }

    @Override
    public long millis() {
        long now = nowMs.get();
        return now == Long.MIN_VALUE ? 0 : now;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("market time has no zone");
    }
}
