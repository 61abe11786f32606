package io.riptide.app.backtest;

import io.riptide.features.FeatureSet;
import io.riptide.features.FeatureSets;
import io.riptide.feed.sim.MarketSimulator;
import io.riptide.feed.sim.ShiftKind;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.serving.Model;
import io.riptide.serving.ModelLoader;
import io.riptide.serving.RuleBasedLiquidationModel;
import io.riptide.serving.metrics.BinaryMetrics;
import io.riptide.serving.training.Dataset;
import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TimeSplit;
import io.riptide.serving.training.TrainingParams;
import io.riptide.serving.training.TrainingResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Offline study of the simulator's scripted shifts (docs/SIMULATOR.md, "Scripted shifts: measured"): does a model
 * trained before a shift degrade after it, and does retraining on the data that followed recover? Not a regression
 * test (its name keeps it out of the default test run); run it on purpose:
 *
 * <pre>
 * flock /tmp/riptide-build.lock ./mvnw -q -B -o -pl app test -Dtest=ShiftStudy -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dstudy.seeds=7,42,1,2,3 -Dstudy.kinds=CALM_LEVERAGE -Dstudy.horizons=15,60
 * </pre>
 *
 * For each seed it simulates the market with the shifts and without (the same seed: identical up to the first shift),
 * computes the stream's 84 features at every bar close point in time ({@link SimFeatureRows}), labels each row
 * "liquidation notional of the instrument in (t, t+h] above the threshold" and trains LightGBM with the retrain
 * trigger's parameters (TrainingJobRunner: 7 leaves, 40 rows per leaf, feature fraction 0.5, L2 5, 200 rounds with
 * early stopping after 50 on a time-ordered validation split of the last 20 %, purged by the horizon). A model
 * "trained at T" sees only rows whose label was known at T (t + h <= T). Phases, with S the first shift (hours):
 *
 * <ul>
 *   <li>pre: the model trained at S-4 scored on [S-4, S): the live AUC before the shift, out of time;</li>
 *   <li>frozen: the model trained at S scored on the post-shift phase [S + max(3, latest retrain), end) (or until
 *       the next shift);</li>
 *   <li>retrain +k: trained at S+k ({@code study.retrain.hours}, default 1,2,3) on all rows so far ("all") or the
 *       last W hours ({@code study.window.hours}, "win"), scored on the same post phase;</li>
 *   <li>rules: {@link RuleBasedLiquidationModel} on pre and post;</li>
 *   <li>calm: the unshifted market, the model trained at S scored on the same post phase: what drift alone (no
 *       shift) costs;</li>
 *   <li>ceiling: trained on 22 h of the first shift's structure (another seed, shifted at hour 1): what that market
 *       allows with ample data.</li>
 * </ul>
 * Other knobs: {@code study.instruments} (3..10), {@code study.hours}, {@code study.threshold}, {@code study.kinds}
 * and {@code study.shift.hours} (one kind per shift). The table is printed and written to
 * {@code app/target/shift-study-KINDS.md}.
 * With several shifts the next post phase is [S2+3, S3 or end), and frozen is still the model trained at S.
 */
class ShiftStudy {
    private static final long HOUR = 3_600_000L;
    private static final long MINUTE = 60_000L;
    private static final long START = 1_722_000_000_000L;
    private static final FeatureSet SET = FeatureSets.liquidation();
    private static final List<String> INSTRUMENTS = List.of("SIM:BTCUSDT", "SIM:ETHUSDT", "SIM:SOLUSDT",
            "SIM:DOGEUSDT", "SIM:AVAXUSDT", "SIM:LINKUSDT", "SIM:XRPUSDT", "SIM:ADAUSDT", "SIM:DOTUSDT", "SIM:LTCUSDT");

    @Test
    void study() throws Exception {
        List<Long> seeds = longs(System.getProperty("study.seeds", "7,42,1,2,3"));
        double hours = Double.parseDouble(System.getProperty("study.hours", "24"));
        List<Long> shiftHours = longs(System.getProperty("study.shift.hours", "12"));
        String kinds = System.getProperty("study.kinds", "LEVERAGE_UP");
        List<Long> horizons = longs(System.getProperty("study.horizons", "15,60"));
        double threshold = Double.parseDouble(System.getProperty("study.threshold",
                Double.toString(SimulatorConfig.SUGGESTED_LIQUIDATION_THRESHOLD_USD)));
        long windowHours = Long.parseLong(System.getProperty("study.window.hours", "3"));
        List<Long> retrainHours = longs(System.getProperty("study.retrain.hours", "1,2,3"));
        long endMs = START + (long) (hours * HOUR);
        int instrumentCount = Integer.parseInt(System.getProperty("study.instruments", "3"));
        List<String> instruments = INSTRUMENTS.subList(0, instrumentCount);

        List<Long> shiftsMs = shiftHours.stream().map(h -> START + h * HOUR).toList();
        List<ShiftKind> kindList = Arrays.stream(kinds.split(",")).map(String::trim).map(ShiftKind::valueOf).toList();
        LongFunction<SimulatorConfig> shifted = seed -> SimulatorConfig.defaults(seed, START)
                .withInstruments(instruments).withShiftsAt(shiftsMs, kindList);
        LongFunction<SimulatorConfig> calm = seed -> SimulatorConfig.defaults(seed, START).withInstruments(instruments);

        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "kinds %s, shifts at hours %s, %s h, %d instruments, threshold %.0f USD, window %d h%n",
                kinds, shiftHours, hours, instrumentCount, threshold, windowHours));
        table.append("| seed | h | pos pre | pos post | pos calm | AUC pre | rules pre | frozen | rules post | calm"
                + retrainHours.stream().map(k -> " | all +" + k).reduce("", String::concat)
                + retrainHours.stream().map(k -> " | win +" + k).reduce("", String::concat) + " | ceiling |\n");
        table.append("|---".repeat(11 + 2 * retrainHours.size())).append("|\n");
        Map<String, List<Double>> means = new LinkedHashMap<>();
        for (long seed : seeds) {
            long t0 = System.nanoTime();
            SimFeatureRows market = simulate(shifted.apply(seed), endMs);
            SimFeatureRows calmMarket = simulate(calm.apply(seed), endMs);
            // the first shift's structure from hour 1 on, another seed: what ample data of that market can learn
            SimFeatureRows steadyMarket = simulate(SimulatorConfig.defaults(seed + 1000, START).withInstruments(instruments)
                    .withShiftsAt(List.of(START + HOUR), List.of(kindList.get(0))), endMs);
            long t1 = System.nanoTime();
            for (long h : horizons) {
                long horizonMs = h * MINUTE;
                Rows rows = Rows.of(market, horizonMs, threshold, endMs);
                Rows calmRows = Rows.of(calmMarket, horizonMs, threshold, endMs);
                long s = shiftsMs.get(0);
                for (int phase = 0; phase < shiftsMs.size(); phase++) {
                    long shiftMs = shiftsMs.get(phase);
                    // scored after the latest retrain, so no retrained model is scored on rows it trained on
                    long postFrom = shiftMs + Math.max(3, retrainHours.stream().mapToLong(Long::longValue).max()
                            .orElse(3)) * HOUR;
                    long postTo = phase + 1 < shiftsMs.size() ? shiftsMs.get(phase + 1) : endMs;
                    Map<String, Double> r = new LinkedHashMap<>();
                    long preTo = s - horizonMs; // labels of later rows reach past the shift
                    r.put("pos pre", rows.positiveRate(s - 4 * HOUR, preTo));
                    r.put("pos post", rows.positiveRate(postFrom, postTo));
                    r.put("pos calm", calmRows.positiveRate(postFrom, postTo));
                    r.put("AUC pre", rows.auc(rows.trainAt(START, s - 4 * HOUR, horizonMs), s - 4 * HOUR, preTo));
                    Model rules = new RuleBasedLiquidationModel(SET.names());
                    r.put("rules pre", rows.auc(rules, s - 4 * HOUR, preTo));
                    r.put("frozen", rows.auc(rows.trainAt(START, s, horizonMs), postFrom, postTo));
                    r.put("rules post", rows.auc(rules, postFrom, postTo));
                    r.put("calm", calmRows.auc(calmRows.trainAt(START, s, horizonMs), postFrom, postTo));
                    for (long k : retrainHours) {
                        r.put("all +" + k, rows.auc(rows.trainAt(START, shiftMs + k * HOUR, horizonMs), postFrom, postTo));
                    }
                    for (long k : retrainHours) {
                        long at = shiftMs + k * HOUR;
                        r.put("win +" + k, rows.auc(rows.trainAt(at - windowHours * HOUR, at, horizonMs), postFrom, postTo));
                    }
                    if (phase == 0) {
                        Rows steady = Rows.of(steadyMarket, horizonMs, threshold, endMs);
                        r.put("ceiling", rows.auc(steady.trainAt(START + 2 * HOUR, endMs, horizonMs), postFrom, postTo));
                    } else {
                        r.put("ceiling", Double.NaN);
                    }
                    String label = shiftsMs.size() > 1 ? seed + "/" + (phase + 1) : Long.toString(seed);
                    table.append("| ").append(label).append(" | ").append(h).append('m');
                    for (Map.Entry<String, Double> e : r.entrySet()) {
                        table.append(" | ").append(fmt(e.getValue()));
                        means.computeIfAbsent(h + "m/" + (phase + 1) + "/" + e.getKey(), x -> new ArrayList<>())
                                .add(e.getValue());
                    }
                    table.append(" |\n");
                }
            }
            System.out.printf(Locale.ROOT, "seed %d: simulated and featurised 2 x %.0f h in %.1f s, trained in %.1f s%n",
                    seed, hours, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        }
        for (long h : horizons) {
            for (int phase = 0; phase < shiftsMs.size(); phase++) {
                String prefix = h + "m/" + (phase + 1) + "/";
                table.append("| mean").append(shiftsMs.size() > 1 ? "/" + (phase + 1) : "").append(" | ").append(h).append('m');
                for (Map.Entry<String, List<Double>> e : means.entrySet()) {
                    if (e.getKey().startsWith(prefix)) {
                        table.append(" | ").append(fmt(e.getValue().stream().filter(v -> !Double.isNaN(v))
                                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
                    }
                }
                table.append(" |\n");
            }
        }
        System.out.println(table);
        Path out = Path.of("target", "shift-study-" + kinds.replace(',', '-') + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
    }

    private static SimFeatureRows simulate(SimulatorConfig config, long endMs) {
        SimFeatureRows rows = new SimFeatureRows(SET, config.instruments());
        new MarketSimulator(config).runUntil(endMs, rows);
        return rows;
    }

    /** Rows after 30 minutes of warm-up whose label window ends by the end of the run, in time order. */
    private record Rows(double[][] x, long[] times, double[] labels, long horizonMs) {

        static Rows of(SimFeatureRows sim, long horizonMs, double threshold, long endMs) {
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < sim.rows(); i++) {
                long t = sim.timesMs.get(i);
                if (t >= START + 30 * MINUTE && t + horizonMs <= endMs) {
                    keep.add(i);
                }
            }
            keep.sort((a, b) -> Long.compare(sim.timesMs.get(a), sim.timesMs.get(b)));
            double[][] x = new double[keep.size()][];
            long[] times = new long[keep.size()];
            double[] labels = new double[keep.size()];
            for (int k = 0; k < keep.size(); k++) {
                int i = keep.get(k);
                x[k] = sim.features.get(i);
                times[k] = sim.timesMs.get(i);
                labels[k] = sim.notionalAhead(i, horizonMs) > threshold ? 1 : 0;
            }
            return new Rows(x, times, labels, horizonMs);
        }

        int[] between(long fromMs, long toMs) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < times.length; i++) {
                if (times[i] >= fromMs && times[i] < toMs) {
                    out.add(i);
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        double positiveRate(long fromMs, long toMs) {
            int[] idx = between(fromMs, toMs);
            return Arrays.stream(idx).mapToDouble(i -> labels[i]).average().orElse(Double.NaN);
        }

        Dataset dataset(int[] idx) {
            int cols = SET.size();
            double[] m = new double[idx.length * cols];
            double[] y = new double[idx.length];
            long[] t = new long[idx.length];
            for (int k = 0; k < idx.length; k++) {
                System.arraycopy(x[idx[k]], 0, m, k * cols, cols);
                y[k] = labels[idx[k]];
                t[k] = times[idx[k]];
            }
            return new Dataset(m, idx.length, SET.names(), y, null, t);
        }

        /** LightGBM as the retrain trigger trains it, on rows in [fromMs, atMs) whose label is known at atMs. */
        Model trainAt(long fromMs, long atMs, long horizon) {
            Dataset all = dataset(between(fromMs, atMs - horizon + 1));
            if (all.rows() < 100 || all.positives() < 5 || all.positives() == all.rows()) {
                return null;
            }
            TimeSplit.Split split = TimeSplit.purged(all.timesMs(), horizon, 0.2, 0);
            Dataset train = all.select(split.train());
            Dataset validation = all.select(split.test());
            if (train.positives() == 0 || train.positives() == train.rows()) {
                return null;
            }
            TrainingParams params = TrainingParams.defaults().withNumRounds(200).withSeed(42)
                    .withEarlyStoppingRounds(50).withNumLeaves(7).withMinDataInLeaf(40).withFeatureFraction(0.5)
                    .withLambdaL2(5);
            TrainingResult result = new LightGbmTrainer().train(train, validation, params);
            try {
                return ModelLoader.load(result.artifact(), result.artifact().sha256(), SET.hash(), SET.hash(),
                        SET.size());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        double auc(Model model, long fromMs, long toMs) {
            if (model == null) {
                return Double.NaN;
            }
            int[] idx = between(fromMs, toMs);
            double[] scores = new double[idx.length];
            double[] y = new double[idx.length];
            for (int k = 0; k < idx.length; k++) {
                scores[k] = model.predict(x[idx[k]]);
                y[k] = labels[idx[k]];
            }
            return idx.length == 0 ? Double.NaN : BinaryMetrics.rocAuc(scores, y);
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static List<Long> longs(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }
}
