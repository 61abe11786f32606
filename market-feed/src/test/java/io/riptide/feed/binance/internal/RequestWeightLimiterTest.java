package io.riptide.feed.binance.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestWeightLimiterTest {
    private final AtomicLong now = new AtomicLong(120_000);
    private final RequestWeightLimiter limiter = new RequestWeightLimiter(100, now::get);

    @Test
    void callsWaitForTheNextMinuteOnceTheBudgetIsSpent() {
        assertEquals(0, limiter.delayMs(50));
        limiter.record(50, -1);
        now.addAndGet(10_000);
        assertEquals(0, limiter.delayMs(50));
        limiter.record(50, -1);
        assertEquals(50_000, limiter.delayMs(50), "until 180,000, the next minute");
        now.set(180_000);
        assertEquals(0, limiter.delayMs(50));
    }

    @Test
    void theExchangesOwnCountWins() {
        limiter.record(10, 95);
        assertEquals(60_000, limiter.delayMs(10));
    }

    @Test
    void retryAfterBlocksEveryCall() {
        limiter.backOff(7_000);
        assertEquals(7_000, limiter.delayMs(1));
        now.addAndGet(7_000);
        assertEquals(0, limiter.delayMs(1));
    }
}
