package io.riptide.app.backtest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One way of running the pipeline on the backtest's input. Every arm runs the real stream; they differ in what
 * may serve.
 */
enum Arm {
    /** The full loop: drift, performance and schedule retrain, accepted versions serve. */
    RETRAIN(true, true, true),
    /** The first accepted champion of each key is never replaced. */
    FROZEN(true, false, true),
    /** The rule-based fallback only: no trigger, no models. */
    RULES(false, false, false),
    /** The full loop, without the online learners' share in predictions. */
    NO_ONLINE(true, true, false);

    final boolean trains;
    final boolean retrains;
    final boolean online;

    Arm(boolean trains, boolean retrains, boolean online) {
        this.trains = trains;
        this.retrains = retrains;
        this.online = online;
    }

    /** {@code no-online} for {@code NO_ONLINE}. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Arm parse(String label) {
        for (Arm a : values()) {
            if (a.label().equals(label.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown arm '" + label + "': expected "
                + String.join(", ", Arrays.stream(values()).map(Arm::label).toList()));
    }

    static List<Arm> all() {
        return List.of(values());
    }
}
