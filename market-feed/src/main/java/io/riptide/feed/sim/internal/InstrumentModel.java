package io.riptide.feed.sim.internal;

import io.riptide.feed.sim.ShiftKind;
import io.riptide.feed.sim.SimulatorConfig;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;

import java.util.ArrayList;
import java.util.List;

/**
 * The market of one instrument, advanced in fixed event-time steps. Each step: the regime chain may move; books
 * due in the step are snapshotted from the state at its start; log volatility (an Ornstein-Uhlenbeck process times
 * the regime multiplier times liquidation stress) drives the mid; positions whose liquidation price the mid crosses
 * are liquidated one by one, each pushing the mid further through a book that thins as stress builds, which is what
 * makes cascades; new leveraged positions open at the new mid; trades arrive as a discretised Hawkes process.
 */
public final class InstrumentModel {

    private static final double SECONDS_PER_DAY = 86_400;
    /** Mean reversion time of log volatility, seconds. */
    private static final double VOL_REVERSION_S = 1800;
    /** Chosen so the stationary standard deviation of log volatility is about 0.35. */
    private static final double VOL_OF_VOL = 0.35 / StrictMath.sqrt(VOL_REVERSION_S / 2);
    /** Liquidation stress fades with this time constant, seconds. */
    private static final double STRESS_DECAY_S = 600;
    /** Stress added per unit of (liquidated notional / side depth). */
    private static final double STRESS_PER_DEPTH = 1.0;
    /** Trend drift per second, as a fraction of the regime's per-second volatility. */
    private static final double TREND_DRIFT = 0.03;
    /** Maintenance margin rate: a position is liquidated before its margin is fully gone. */
    private static final double MAINTENANCE_MARGIN = 0.004;
    private static final double[] LEVERAGES = {2, 3, 5, 10, 20, 25, 50};
    private static final double[] LEVERAGE_WEIGHTS = {0.08, 0.12, 0.20, 0.25, 0.15, 0.10, 0.10};
    private static final double MEDIAN_TRADE_USD = 2_000;
    private static final double HALF_SPREAD = 0.2e-4;
    private static final double LEVEL_GAP = 0.3e-4;
    private static final long PURGE_INTERVAL_MS = 10 * 60_000;
    /** Time constant of the volatility traders perceive when they size leverage, seconds. */
    private static final double PERCEIVED_VOL_S = 300;

    private final SimulatorConfig config;
    private final int index;
    private final String instrument;
    private final SimRandom random;
    private final LeveragedPositions positions = new LeveragedPositions();
    private final int priceDecimals;
    private final double priceScale;
    private final double qtyScale;
    private final double baseVolPerSecond;

    private Regime regime;
    private int trendSign = 1;
    private double logMid;
    private double logVol;
    private double stress;
    private double excitation;
    private long updateId;
    private long tradeId;
    private long sequence;
    private long nextBookTimeMs;
    private long nextPurgeMs;
    private MarketStructure structure = MarketStructure.of(ShiftKind.BASE);
    private int nextShift;
    /** Volatility as traders see it, in units of the base volatility, averaged over {@link #PERCEIVED_VOL_S}. */
    private double perceivedVol = 1;

    public InstrumentModel(SimulatorConfig config, int index) {
        this.config = config;
        this.index = index;
        this.instrument = config.instruments().get(index);
        // mixing the instrument id into the seed keeps one instrument's path independent of the others' order
        this.random = new SimRandom(config.seed() * 0x9E3779B97F4A7C15L + instrument.hashCode());
        double startPrice = startPrice(instrument);
        int magnitude = (int) Math.floor(StrictMath.log10(startPrice));
        this.priceDecimals = Math.max(0, 5 - magnitude);
        this.priceScale = StrictMath.pow(10, priceDecimals);
        this.qtyScale = StrictMath.pow(10, Math.max(0, magnitude + 1));
        this.baseVolPerSecond = config.dailyVolatility() / StrictMath.sqrt(SECONDS_PER_DAY);
        this.logMid = StrictMath.log(startPrice);
        this.regime = Regime.values()[(int) (random.uniform() * Regime.values().length)];
        this.trendSign = random.uniform() < 0.5 ? -1 : 1;
        this.updateId = 1_000_000L + (long) (random.uniform() * 1_000_000);
        this.nextBookTimeMs = config.startTimeMs();
        this.nextPurgeMs = config.startTimeMs() + PURGE_INTERVAL_MS;
        seedOpenInterest();
    }

    /**
     * Starts with the open interest a market would have after running for a while: positions opened over one mean
     * lifetime at prices scattered around the start, so the first hour does not lack liquidations.
     */
    private void seedOpenInterest() {
        int n = (int) Math.round(config.positionOpensPerMinute() * config.meanPositionLifetimeMinutes());
        double hourVol = config.dailyVolatility() / StrictMath.sqrt(24);
        double start = StrictMath.exp(logMid);
        for (int i = 0; i < n; i++) {
            double entry = start * StrictMath.exp(hourVol * random.gaussian());
            openPosition(entry, config.startTimeMs(), false);
        }
    }

    public String instrument() {
        return instrument;
    }

    public Regime regime() {
        return regime;
    }

    public double mid() {
        return StrictMath.exp(logMid);
    }

    /** Appends every event with event time in [stepStartMs, stepStartMs + stepMs) to {@code out}. */
    public void step(long stepStartMs, long stepMs, List<SimEvent> out) {
        double dt = stepMs / 1000.0;
        long stepEndMs = stepStartMs + stepMs;
        while (nextShift < config.shifts().size() && stepStartMs >= config.shifts().get(nextShift).atMs()) {
            structure = MarketStructure.of(config.shifts().get(nextShift).kind());
            nextShift++;
        }

        double meanDwellS = config.meanRegimeMinutes() * 60 * regime.durationFactor;
        if (random.uniform() < 1 - StrictMath.exp(-dt / meanDwellS)) {
            regime = regime.next(random.uniform());
            if (regime.trending) {
                trendSign = random.uniform() < 0.5 ? -1 : 1;
            }
        }

        while (nextBookTimeMs < stepEndMs) {
            add(out, nextBookTimeMs, book(nextBookTimeMs));
            nextBookTimeMs += config.bookIntervalMs();
        }

        logVol += -logVol * dt / VOL_REVERSION_S + VOL_OF_VOL * StrictMath.sqrt(dt) * random.gaussian();
        stress *= StrictMath.exp(-dt / STRESS_DECAY_S);
        double sigma = volatilityPerSecond();
        // the volatility traders perceive: an average over the last minutes, not the instant's
        perceivedVol += (sigma / baseVolPerSecond - perceivedVol) * (1 - StrictMath.exp(-dt / PERCEIVED_VOL_S));
        double drift = regime.trending ? trendSign * TREND_DRIFT * baseVolPerSecond * regime.volMultiplier : 0;
        double startLog = logMid;
        double shock = random.gaussian();
        logMid += drift * dt + sigma * StrictMath.sqrt(dt) * shock;

        int liquidations = liquidate(stepStartMs, stepMs, out);
        openPositions(stepStartMs, dt);
        trade(stepStartMs, stepMs, dt, startLog, shock, liquidations, out);

        if (stepEndMs >= nextPurgeMs) {
            positions.purgeClosed(stepEndMs);
            nextPurgeMs += PURGE_INTERVAL_MS;
        }
    }

    private double volatilityPerSecond() {
        return baseVolPerSecond * regime.volMultiplier * StrictMath.exp(logVol) * (1 + 1.5 * stressEffect());
    }

    /** Stress saturates, so a cascade cannot feed on itself without bound. */
    private double stressEffect() {
        return stress / (1 + stress);
    }

    /** Notional on one side of the visible book: thinner in volatile regimes, with high volatility and stress. */
    private double sideDepthUsd() {
        return config.bookDepthUsd() * regime.depthMultiplier * StrictMath.exp(-0.5 * logVol) / (1 + 2 * stressEffect())
                * structure.depthFactor;
    }

    private int liquidate(long stepStartMs, long stepMs, List<SimEvent> out) {
        int count = 0;
        long timeMs = stepStartMs + (long) (random.uniform() * stepMs * 0.5);
        LeveragedPositions.Position p;
        while ((p = positions.nextLiquidated(StrictMath.exp(logMid), stepStartMs)) != null) {
            double price = roundPrice(StrictMath.exp(logMid));
            double qty = p.qty();
            double notional = price * qty;
            double depthShare = notional / sideDepthUsd();
            // the forced market order walks the book: longs are sold (mid falls), shorts are bought (mid rises)
            logMid += (p.isLong() ? -1 : 1) * config.liquidationImpact() * depthShare;
            stress += STRESS_PER_DEPTH * depthShare;
            add(out, timeMs, new Liquidation(instrument, timeMs, p.isLong() ? PositionSide.LONG : PositionSide.SHORT,
                    price, qty, notional));
            add(out, timeMs, new Trade(instrument, timeMs, price, qty, p.isLong() ? Side.SELL : Side.BUY,
                    Long.toString(++tradeId)));
            count++;
            timeMs = Math.min(stepStartMs + stepMs - 1, timeMs + 1 + (long) random.exponential(15));
        }
        return count;
    }

    private void openPositions(long nowMs, double dt) {
        int n = random.poisson(config.positionOpensPerMinute() / 60 * dt * regime.tradeRateMultiplier);
        double mid = StrictMath.exp(logMid);
        for (int i = 0; i < n; i++) {
            openPosition(mid, nowMs, true);
        }
    }


    private void openPosition(double entry, long nowMs, boolean live) {
        // crowds chase a trend, which is what leaves one side exposed when it reverses
        double longShare = regime.trending ? 0.5 + 0.15 * trendSign : 0.5;
        boolean isLong = random.uniform() < longShare;
        double leverage = leverage(random.uniform());
        if (live) { // the seeded open interest is the unshifted market's
            leverage = structure.leverage(leverage, perceivedVol);
        }
        double distance = 1 / leverage - MAINTENANCE_MARGIN;
        double liquidationPrice = entry * (isLong ? 1 - distance : 1 + distance);
        double notional = config.medianPositionUsd() * StrictMath.exp(random.gaussian());
        long closeTimeMs = nowMs + 1 + (long) random.exponential(config.meanPositionLifetimeMinutes() * 60_000);
        double mid = StrictMath.exp(logMid);
        boolean alreadyUnderwater = isLong ? liquidationPrice >= mid : liquidationPrice <= mid;
        if (!alreadyUnderwater) {
            positions.open(isLong, liquidationPrice, roundQty(notional / entry), closeTimeMs);
        }
    }

    private void trade(long stepStartMs, long stepMs, double dt, double startLog, double shock, int liquidations,
                       List<SimEvent> out) {
        double intensity = config.baseTradesPerSecond() * regime.tradeRateMultiplier * (1 + 0.5 * stressEffect()) + excitation;
        int n = random.poisson(intensity * dt);
        double decayMs = config.tradeExcitationDecayMs();
        double jump = config.tradeBranchingRatio() * 1000 / decayMs;
        excitation = excitation * StrictMath.exp(-stepMs / decayMs) + jump * (n + Math.min(liquidations, 10));
        if (n == 0) {
            return;
        }
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = (long) (random.uniform() * stepMs);
        }
        java.util.Arrays.sort(offsets);
        double endLog = logMid;
        double buyShare = 0.5 + Math.max(-0.3, Math.min(0.3, 0.2 * shock));
        double halfSpread = halfSpread();
        for (long offset : offsets) {
            double mid = StrictMath.exp(startLog + (endLog - startLog) * offset / stepMs);
            boolean buy = random.uniform() < buyShare;
            double price = buy ? ceilPrice(mid * (1 + halfSpread)) : floorPrice(mid * (1 - halfSpread));
            double qty = roundQty(MEDIAN_TRADE_USD * StrictMath.exp(1.2 * random.gaussian()) / mid);
            long timeMs = stepStartMs + offset;
            add(out, timeMs, new Trade(instrument, timeMs, price, qty, buy ? Side.BUY : Side.SELL,
                    Long.toString(++tradeId)));
        }
    }

    private double halfSpread() {
        return HALF_SPREAD * regime.spreadMultiplier * (1 + 2 * stressEffect()) * structure.spreadFactor;
    }

    private BookSnapshot book(long timeMs) {
        double mid = StrictMath.exp(logMid);
        double halfSpread = halfSpread();
        long bestBidTicks = (long) Math.floor(mid * (1 - halfSpread) * priceScale);
        long bestAskTicks = Math.max(bestBidTicks + 1, (long) Math.ceil(mid * (1 + halfSpread) * priceScale));
        long gapTicks = Math.max(1, Math.round(mid * LEVEL_GAP * (1 + stressEffect()) * priceScale));
        double depth = sideDepthUsd();
        int levels = config.bookDepth();
        List<PriceLevel> bids = side(bestBidTicks, -gapTicks, levels, depth, mid);
        List<PriceLevel> asks = side(bestAskTicks, gapTicks, levels, depth, mid);
        updateId += 1 + random.poisson(config.bookIntervalMs() / 50.0);
        return new BookSnapshot(instrument, timeMs, updateId, bids, asks);
    }

    private List<PriceLevel> side(long bestTicks, long gapTicks, int levels, double depthUsd, double mid) {
        double[] weights = new double[levels];
        double total = 0;
        for (int i = 0; i < levels; i++) {
            // resting size grows away from the touch, with noise
            weights[i] = (0.6 + 0.08 * i) * StrictMath.exp(0.35 * random.gaussian());
            total += weights[i];
        }
        List<PriceLevel> out = new ArrayList<>(levels);
        long ticks = bestTicks;
        for (int i = 0; i < levels && ticks > 0; i++) {
            out.add(new PriceLevel(ticks / priceScale, roundQty(depthUsd * weights[i] / total / mid)));
            ticks += gapTicks * (random.uniform() < 0.3 ? 2 : 1);
        }
        return out;
    }

    private void add(List<SimEvent> out, long timeMs, org.apache.avro.specific.SpecificRecord record) {
        out.add(new SimEvent(timeMs, index, sequence++, record));
    }

    private double roundPrice(double price) {
        return Math.max(1, Math.round(price * priceScale)) / priceScale;
    }

    private double floorPrice(double price) {
        return Math.max(1, (long) Math.floor(price * priceScale)) / priceScale;
    }

    private double ceilPrice(double price) {
        return Math.max(1, (long) Math.ceil(price * priceScale)) / priceScale;
    }

    private double roundQty(double qty) {
        return Math.max(1, Math.round(qty * qtyScale)) / qtyScale;
    }

    private static double leverage(double uniform) {
        double acc = 0;
        for (int i = 0; i < LEVERAGES.length; i++) {
            acc += LEVERAGE_WEIGHTS[i];
            if (uniform < acc) {
                return LEVERAGES[i];
            }
        }
        return LEVERAGES[LEVERAGES.length - 1];
    }

    static double startPrice(String instrument) {
        String symbol = instrument.substring(instrument.indexOf(':') + 1).toUpperCase(java.util.Locale.ROOT);
        if (symbol.startsWith("BTC")) {
            return 60_000;
        } else if (symbol.startsWith("ETH")) {
            return 3_000;
        } else if (symbol.startsWith("SOL")) {
            return 150;
        } else if (symbol.startsWith("DOGE")) {
            return 0.15;
        }
        return 100;
    }
}
