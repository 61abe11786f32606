package io.riptide.app.backtest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trigger settings of a run over a simulated market of a known span (the demo, the chaos bench): enough data
 * for a first model within the first hours, and a schedule and a cooldown that run on market time, a third and a
 * sixth of the span, so that the span sees a few retrains whatever its length.
 */
public final class SimulatedSpanTriggerSettings {
    private static final long MINUTE_MS = 60_000;

    private SimulatedSpanTriggerSettings() {
    }

    public static Map<String, String> of(long spanMs) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("trigger.min.examples", "600");
        // patterns end on about a third of the simulated bars: 8 market hours give some 430 examples, not 600
        s.put("trigger.min.examples.pattern", "200");
        s.put("trigger.min.positives", "15");
        s.put("trigger.cooldown.ms", Long.toString(Math.max(10 * MINUTE_MS, spanMs / 6)));
        s.put("trigger.schedule.interval.ms", Long.toString(Math.max(20 * MINUTE_MS, spanMs / 3)));
        s.put("trigger.poll.interval.ms", "300");
        s.put("trigger.num.rounds", "150");
        return s;
    }
}
