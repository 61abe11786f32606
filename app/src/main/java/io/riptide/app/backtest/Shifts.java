package io.riptide.app.backtest;

import io.riptide.feed.sim.SimulatorConfig;

import java.util.List;

/**
 * Puts the backtest's scripted shifts into the simulator's config: the i-th shift moves the market to the i-th
 * structure of the simulator's cycle (docs/SIMULATOR.md: volatility-targeting leverage, then back to the base
 * market, and so on), each a real change of how liquidations follow from the features.
 */
final class Shifts {
    private Shifts() {
    }

    static SimulatorConfig apply(SimulatorConfig config, List<Long> shiftsMs) {
        return shiftsMs.isEmpty() ? config : config.withShiftsAt(shiftsMs);
    }
}
