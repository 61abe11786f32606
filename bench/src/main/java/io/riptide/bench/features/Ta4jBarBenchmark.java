package io.riptide.bench.features;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline for {@link FeatureEngineBenchmark#barUpdate}: ta4j 0.18 computing the same indicators (SMA, EMA x2, WMA,
 * RSI, MACD line/signal/histogram, Bollinger middle/upper/lower/%b/bandwidth, ATR, ADX, +DI, -DI, stochastic %K/%D,
 * Williams %R, CCI, OBV, VWAP, MFI, ROC, Parabolic SAR, Ichimoku x4, Keltner x3, Donchian x3: 36 values) on the same
 * bars, on a bounded series ({@link #MAX_BARS} bars), each update adding one bar and reading every indicator at the
 * new end index, which is ta4j's incremental use (its cached indicators reuse the previous values).
 *
 * <p>ta4j 0.18 is compiled for Java 21 while this module compiles for Java 17, so ta4j is reached through
 * {@link MethodHandle}s held in static finals (which the JIT inlines like direct calls); run this benchmark on a
 * Java 21+ runtime.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Ta4jBarBenchmark {
    static final int MAX_BARS = 400;

    private BenchBars bars;
    private Object series;
    private Object[] indicators;
    private int i;
    private long t = 1_617_321_600_000L;

    @Setup
    public void setUp() throws Throwable {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("ta4j 0.18 needs Java 21+; this JVM is Java " + Runtime.version().feature());
        }
        bars = BenchBars.load();
        series = Ta4j.newSeries(MAX_BARS);
        indicators = Ta4j.sameIndicatorsAsTheEngine(series);
        for (int k = 0; k < 1_000; k++) barUpdate();
    }

    @Benchmark
    public double barUpdate() throws Throwable {
        int k = i;
        Object builder = (Object) Ta4j.BAR_BUILDER.invokeExact(series);
        builder = (Object) Ta4j.TIME_PERIOD.invokeExact(builder, (Object) Ta4j.MINUTE);
        builder = (Object) Ta4j.END_TIME.invokeExact(builder, (Object) Instant.ofEpochMilli(t + 60_000L));
        builder = (Object) Ta4j.OPEN.invokeExact(builder, (Object) (Number) bars.open[k]);
        builder = (Object) Ta4j.HIGH.invokeExact(builder, (Object) (Number) bars.high[k]);
        builder = (Object) Ta4j.LOW.invokeExact(builder, (Object) (Number) bars.low[k]);
        builder = (Object) Ta4j.CLOSE.invokeExact(builder, (Object) (Number) bars.close[k]);
        builder = (Object) Ta4j.VOLUME.invokeExact(builder, (Object) (Number) bars.volume[k]);
        Ta4j.ADD.invokeExact(builder);
        int end = (int) Ta4j.END_INDEX.invokeExact(series);
        double sum = 0;
        Object[] ind = indicators;
        for (int j = 0; j < ind.length; j++) {
            Object num = (Object) Ta4j.GET_VALUE.invokeExact(ind[j], end);
            sum += (double) Ta4j.DOUBLE_VALUE.invokeExact(num);
        }
        t += 60_000L;
        i = k + 1 == bars.size() ? 0 : k + 1;
        return sum;
    }

    /** ta4j reached reflectively (see the class comment); the handles are constants to the JIT. */
    static final class Ta4j {
        static final Duration MINUTE = Duration.ofMinutes(1);
        static final MethodHandle BAR_BUILDER;
        static final MethodHandle TIME_PERIOD;
        static final MethodHandle END_TIME;
        static final MethodHandle OPEN;
        static final MethodHandle HIGH;
        static final MethodHandle LOW;
        static final MethodHandle CLOSE;
        static final MethodHandle VOLUME;
        static final MethodHandle ADD;
        static final MethodHandle END_INDEX;
        static final MethodHandle GET_VALUE;
        static final MethodHandle DOUBLE_VALUE;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                Class<?> seriesType = Class.forName("org.ta4j.core.BarSeries");
                Class<?> builderType = Class.forName("org.ta4j.core.BarBuilder");
                Class<?> indicatorType = Class.forName("org.ta4j.core.Indicator");
                Class<?> numType = Class.forName("org.ta4j.core.num.Num");
                BAR_BUILDER = erase(l.findVirtual(seriesType, "barBuilder", MethodType.methodType(builderType)));
                TIME_PERIOD = erase(l.findVirtual(builderType, "timePeriod", MethodType.methodType(builderType, Duration.class)));
                END_TIME = erase(l.findVirtual(builderType, "endTime", MethodType.methodType(builderType, Instant.class)));
                OPEN = erase(l.findVirtual(builderType, "openPrice", MethodType.methodType(builderType, Number.class)));
                HIGH = erase(l.findVirtual(builderType, "highPrice", MethodType.methodType(builderType, Number.class)));
                LOW = erase(l.findVirtual(builderType, "lowPrice", MethodType.methodType(builderType, Number.class)));
                CLOSE = erase(l.findVirtual(builderType, "closePrice", MethodType.methodType(builderType, Number.class)));
                VOLUME = erase(l.findVirtual(builderType, "volume", MethodType.methodType(builderType, Number.class)));
                ADD = erase(l.findVirtual(builderType, "add", MethodType.methodType(void.class)));
                END_INDEX = erase(l.findVirtual(seriesType, "getEndIndex", MethodType.methodType(int.class)));
                GET_VALUE = erase(l.findVirtual(indicatorType, "getValue", MethodType.methodType(Object.class, int.class)));
                DOUBLE_VALUE = erase(l.findVirtual(numType, "doubleValue", MethodType.methodType(double.class)));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Ta4j() {}

        /** The handle with every reference type widened to Object, so call sites need no ta4j types. */
        private static MethodHandle erase(MethodHandle h) {
            MethodType t = h.type();
            MethodType erased = t.erase();
            return h.asType(erased);
        }

        static Object newSeries(int maxBars) throws ReflectiveOperationException {
            Object factory = Class.forName("org.ta4j.core.num.DoubleNumFactory").getMethod("getInstance").invoke(null);
            Class<?> builderClass = Class.forName("org.ta4j.core.BaseBarSeriesBuilder");
            Object b = builderClass.getConstructor().newInstance();
            b = call(b, "withNumFactory", factory);
            b = call(b, "withName", "bench");
            b = call(b, "withMaxBarCount", maxBars);
            return call(b, "build");
        }

        static Object[] sameIndicatorsAsTheEngine(Object s) throws ReflectiveOperationException {
            String p = "org.ta4j.core.indicators.";
            Object close = make(p + "helpers.ClosePriceIndicator", s);
            Object two = call(call(s, "numFactory"), "numOf", (Number) 2);
            List<Object> all = new ArrayList<>();
            all.add(make(p + "averages.SMAIndicator", close, 20));
            all.add(make(p + "averages.EMAIndicator", close, 12));
            all.add(make(p + "averages.EMAIndicator", close, 26));
            all.add(make(p + "averages.WMAIndicator", close, 20));
            all.add(make(p + "RSIIndicator", close, 14));
            Object macd = make(p + "MACDIndicator", close, 12, 26);
            all.add(macd);
            all.add(call(macd, "getSignalLine", 9));
            all.add(call(macd, "getHistogram", 9));
            Object mid = make(p + "bollinger.BollingerBandsMiddleIndicator", make(p + "averages.SMAIndicator", close, 20));
            Object sd = make(p + "statistics.StandardDeviationIndicator", close, 20);
            Object up = make(p + "bollinger.BollingerBandsUpperIndicator", mid, sd, two);
            Object lo = make(p + "bollinger.BollingerBandsLowerIndicator", mid, sd, two);
            all.add(mid);
            all.add(up);
            all.add(lo);
            all.add(make(p + "bollinger.PercentBIndicator", close, 20, 2.0));
            all.add(make(p + "bollinger.BollingerBandWidthIndicator", up, mid, lo));
            all.add(make(p + "ATRIndicator", s, 14));
            all.add(make(p + "adx.ADXIndicator", s, 14));
            all.add(make(p + "adx.PlusDIIndicator", s, 14));
            all.add(make(p + "adx.MinusDIIndicator", s, 14));
            Object k = make(p + "StochasticOscillatorKIndicator", s, 14);
            all.add(k);
            all.add(make(p + "StochasticOscillatorDIndicator", k));
            all.add(make(p + "WilliamsRIndicator", s, 14));
            all.add(make(p + "CCIIndicator", s, 20));
            all.add(make(p + "volume.OnBalanceVolumeIndicator", s));
            all.add(make(p + "volume.VWAPIndicator", s, 20));
            all.add(make(p + "volume.MoneyFlowIndexIndicator", s, 14));
            all.add(make(p + "ROCIndicator", close, 10));
            all.add(make(p + "ParabolicSarIndicator", s));
            all.add(make(p + "ichimoku.IchimokuTenkanSenIndicator", s, 9));
            all.add(make(p + "ichimoku.IchimokuKijunSenIndicator", s, 26));
            all.add(make(p + "ichimoku.IchimokuSenkouSpanAIndicator", s));
            all.add(make(p + "ichimoku.IchimokuSenkouSpanBIndicator", s));
            Object km = make(p + "keltner.KeltnerChannelMiddleIndicator", s, 20);
            all.add(km);
            all.add(make(p + "keltner.KeltnerChannelUpperIndicator", km, 2.0, 10));
            all.add(make(p + "keltner.KeltnerChannelLowerIndicator", km, 2.0, 10));
            all.add(make(p + "donchian.DonchianChannelUpperIndicator", s, 20));
            all.add(make(p + "donchian.DonchianChannelLowerIndicator", s, 20));
            all.add(make(p + "donchian.DonchianChannelMiddleIndicator", s, 20));
            return all.toArray();
        }

        private static Object make(String className, Object... args) throws ReflectiveOperationException {
            for (Constructor<?> c : Class.forName(className).getConstructors()) {
                if (fits(c.getParameterTypes(), args)) return c.newInstance(args);
            }
            throw new NoSuchMethodException(className + " has no public constructor for these arguments");
        }

        private static Object call(Object target, String name, Object... args) throws ReflectiveOperationException {
            for (Method m : target.getClass().getMethods()) {
                if (m.getName().equals(name) && fits(m.getParameterTypes(), args)) return m.invoke(target, args);
            }
            throw new NoSuchMethodException(target.getClass().getName() + "." + name);
        }

        private static boolean fits(Class<?>[] types, Object[] args) {
            if (types.length != args.length) return false;
            for (int j = 0; j < types.length; j++) {
                Class<?> want = types[j];
                Object a = args[j];
                if (want == int.class) {
                    if (!(a instanceof Integer)) return false;
                } else if (want == double.class) {
                    if (!(a instanceof Double)) return false;
                } else if (want.isPrimitive() || !want.isInstance(a)) {
                    return false;
                }
            }
            return true;
        }
    }
}
