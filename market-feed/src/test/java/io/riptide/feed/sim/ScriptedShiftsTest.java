package io.riptide.feed.sim;

import io.riptide.schemas.avro.Liquidation;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptedShiftsTest {
    private static final long START = 1_722_000_000_000L;
    private static final long HOUR = 3_600_000;

    @Test
    void withRegimeShiftAtIsAOneElementListOfTheCycle() {
        SimulatorConfig c = SimulatorConfig.defaults(1, START);
        assertEquals(c.withShiftsAt(List.of(START + HOUR)), c.withRegimeShiftAt(START + HOUR));
        assertEquals(List.of(new SimulatorConfig.ScriptedShift(START + HOUR, ShiftKind.CALM_LEVERAGE)),
                c.withRegimeShiftAt(START + HOUR).shifts());
        assertEquals(START + HOUR, c.withRegimeShiftAt(START + HOUR).regimeShiftAtMs());
        assertEquals(List.of(), c.withRegimeShiftAt(START + HOUR).withRegimeShiftAt(SimulatorConfig.NO_REGIME_SHIFT)
                .shifts());

        SimulatorConfig three = c.withShiftsAt(List.of(START + HOUR, START + 2 * HOUR, START + 3 * HOUR));
        assertEquals(List.of(ShiftKind.CALM_LEVERAGE, ShiftKind.BASE, ShiftKind.CALM_LEVERAGE),
                three.shifts().stream().map(SimulatorConfig.ScriptedShift::kind).toList());
        assertEquals(ShiftKind.BASE, three.structureAt(START + HOUR - 1));
        assertEquals(ShiftKind.CALM_LEVERAGE, three.structureAt(START + HOUR));
        assertEquals(ShiftKind.BASE, three.structureAt(START + 2 * HOUR + 5));
        assertEquals(ShiftKind.CALM_LEVERAGE, three.structureAt(Long.MAX_VALUE));

        IllegalArgumentException unordered = assertThrows(IllegalArgumentException.class,
                () -> c.withShiftsAt(List.of(START + HOUR, START + HOUR)));
        assertTrue(unordered.getMessage().contains("shifts must be in strictly increasing time order"),
                unordered.getMessage());
        IllegalArgumentException kinds = assertThrows(IllegalArgumentException.class,
                () -> c.withShiftsAt(List.of(START + HOUR), List.of()));
        assertTrue(kinds.getMessage().contains("one kind per time"), kinds.getMessage());
    }

    @Test
    void severalShiftsAreDeterministicWhateverTheRunUntilSteps() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults(7, START)
                .withShiftsAt(List.of(START + HOUR / 4, START + HOUR / 2, START + 3 * HOUR / 4));
        RecordingSink once = new RecordingSink();
        new MarketSimulator(config).runUntil(START + HOUR, once);

        RecordingSink chunked = new RecordingSink();
        MarketSimulator sim = new MarketSimulator(config);
        for (long t = START + 999; t < START + HOUR; t += 4_321) {
            sim.runUntil(t, chunked);
        }
        sim.runUntil(START + HOUR, chunked);
        assertEquals(MarketSimulatorTest.digest(once.all), MarketSimulatorTest.digest(chunked.all));

        RecordingSink again = new RecordingSink();
        new MarketSimulator(config).runUntil(START + HOUR, again);
        assertEquals(MarketSimulatorTest.digest(once.all), MarketSimulatorTest.digest(again.all));
    }

    @Test
    void everythingBeforeTheFirstShiftIsTheUnshiftedMarket() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults(9, START);
        long first = START + HOUR;
        RecordingSink plain = new RecordingSink();
        new MarketSimulator(config).runUntil(START + 2 * HOUR, plain);
        for (List<ShiftKind> kinds : List.of(List.of(ShiftKind.CALM_LEVERAGE, ShiftKind.BASE),
                List.of(ShiftKind.LEVERAGE_UP, ShiftKind.CALM_LEVERAGE))) {
            RecordingSink shifted = new RecordingSink();
            new MarketSimulator(config.withShiftsAt(List.of(first, first + HOUR / 2), kinds))
                    .runUntil(START + 2 * HOUR, shifted);
            assertEquals(MarketSimulatorTest.digest(before(plain, first)), MarketSimulatorTest.digest(before(shifted, first)),
                    kinds + ": the same market up to the first shift");
            assertNotEquals(MarketSimulatorTest.digest(plain.all), MarketSimulatorTest.digest(shifted.all),
                    kinds + ": a different market after it");
        }
    }

    /**
     * What CALM_LEVERAGE claims, measured on the market's own ground truth (the regime each liquidation happened
     * in): in the base market most liquidation notional is in volatile regimes; after the shift most of it is in the
     * calmer ones (trending, sideways, consolidation), the calm ones' share many times the unshifted market's; after
     * the cycle's next shift (back to BASE) the base picture returns.
     */
    @Test
    void calmLeverageMovesLiquidationsOutOfVolatileRegimesAndBaseMovesThemBack() {
        long shift1 = START + 6 * HOUR;
        long shift2 = START + 12 * HOUR;
        for (long seed : new long[] {9, 42}) {
            SimulatorConfig config = SimulatorConfig.defaults(seed, START).withShiftsAt(List.of(shift1, shift2));
            double[][] byRegime = liquidationNotionalByRegime(config, START + 18 * HOUR,
                    new long[] {START, shift1, shift2});
            double[][] plain = liquidationNotionalByRegime(SimulatorConfig.defaults(seed, START), START + 18 * HOUR,
                    new long[] {START, shift1, shift2});
            double calmBefore = calmShare(byRegime[0]);
            double calmShifted = calmShare(byRegime[1]);
            double calmBack = calmShare(byRegime[2]);
            double calmUnshifted = calmShare(plain[1]);
            System.out.printf("seed %d: calm share of liquidation notional %.3f before, %.3f after CALM_LEVERAGE (%.3f"
                    + " unshifted), %.3f back in BASE; volatile share %.3f, %.3f (%.3f), %.3f%n", seed, calmBefore,
                    calmShifted, calmUnshifted, calmBack, share(byRegime[0], 2), share(byRegime[1], 2),
                    share(plain[1], 2), share(byRegime[2], 2));
            assertTrue(share(byRegime[0], 2) > 0.7, "seed " + seed + " base: volatile share " + share(byRegime[0], 2));
            assertTrue(share(plain[1], 2) > 0.7, "seed " + seed + " unshifted: volatile share " + share(plain[1], 2));
            assertTrue(share(byRegime[1], 2) < 0.5 && share(byRegime[1], 2) < share(plain[1], 2) - 0.3,
                    "seed " + seed + " CALM_LEVERAGE: volatile share " + share(byRegime[1], 2) + " vs unshifted "
                            + share(plain[1], 2));
            assertTrue(calmShifted > 5 * calmUnshifted, "seed " + seed + " CALM_LEVERAGE: calm share " + calmShifted
                    + " vs unshifted " + calmUnshifted);
            assertTrue(share(byRegime[2], 2) > 0.7, "seed " + seed + " back in BASE: volatile share "
                    + share(byRegime[2], 2));
        }
    }

    private static double share(double[] byRegime, int regime) {
        return byRegime[regime] / (byRegime[0] + byRegime[1] + byRegime[2] + byRegime[3]);
    }

    /** SIDEWAYS + CONSOLIDATION share of the notional, regimes in declaration order. */
    private static double calmShare(double[] byRegime) {
        double total = byRegime[0] + byRegime[1] + byRegime[2] + byRegime[3];
        return (byRegime[1] + byRegime[3]) / total;
    }

    /**
     * Liquidation notional per phase (phase i from phaseStarts[i] + 30 min, the settling time, to the next start) and
     * per regime the instrument was in when it happened, stepping the simulator one second at a time.
     */
    private static double[][] liquidationNotionalByRegime(SimulatorConfig config, long endMs, long[] phaseStarts) {
        MarketSimulator sim = new MarketSimulator(config);
        RecordingSink sink = new RecordingSink();
        double[][] out = new double[phaseStarts.length][4];
        for (long t = START + 1_000; t <= endMs; t += 1_000) {
            sink.liquidations.clear();
            sim.runUntil(t, sink);
            if (sink.liquidations.isEmpty()) {
                continue;
            }
            java.util.Map<String, String> regimes = sim.regimes();
            for (Liquidation l : sink.liquidations) {
                int phase = -1;
                for (int p = 0; p < phaseStarts.length; p++) {
                    if (l.getExchangeTimeMs() >= phaseStarts[p] + HOUR / 2) {
                        phase = p;
                    }
                }
                boolean settling = phase >= 0 && phase + 1 < phaseStarts.length
                        && l.getExchangeTimeMs() >= phaseStarts[phase + 1];
                if (phase >= 0 && !settling) {
                    int regime = switch (regimes.get(l.getInstrument().toString())) {
                        case "TRENDING" -> 0;
                        case "SIDEWAYS" -> 1;
                        case "VOLATILE" -> 2;
                        default -> 3;
                    };
                    out[phase][regime] += l.getNotional();
                }
            }
            sink.all.clear();
            sink.trades.clear();
            sink.books.clear();
        }
        return out;
    }

    private static List<SpecificRecord> before(RecordingSink sink, long timeMs) {
        return sink.all.stream().filter(r -> MarketSimulatorTest.eventTime(r) < timeMs).toList();
    }
}
