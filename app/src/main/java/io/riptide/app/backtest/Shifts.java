package io.riptide.app.backtest;

import io.riptide.feed.sim.SimulatorConfig;

import java.util.List;

/** Puts the backtest's scripted shifts into the simulator's config. */
final class Shifts {
    private Shifts() {
    }

    static SimulatorConfig apply(SimulatorConfig config, List<Long> shiftsMs) {
        if (shiftsMs.isEmpty()) {
            return config;
        }
        if (shiftsMs.size() > 1) {
            throw new IllegalArgumentException("this simulator scripts one shift; got " + shiftsMs.size());
        }
        return config.withRegimeShiftAt(shiftsMs.get(0));
    }
}
