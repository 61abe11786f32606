package io.riptide.feed.sim.internal;

import java.util.SplittableRandom;

/**
 * Seeded randomness with our own Gaussian and Poisson draws, so the event sequence depends on the seed alone and
 * not on how a JDK version implements {@code nextGaussian}. The simulator uses {@link StrictMath} throughout:
 * {@code Math}'s intrinsics may differ in the last bit between CPUs, which would change the event sequence.
 */
final class SimRandom {
    private final SplittableRandom random;
    private double spareGaussian = Double.NaN;

    SimRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    double uniform() {
        return random.nextDouble();
    }

    double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1;
        do {
            u1 = random.nextDouble();
        } while (u1 <= 0);
        double u2 = random.nextDouble();
        double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
        spareGaussian = r * StrictMath.sin(2 * Math.PI * u2);
        return r * StrictMath.cos(2 * Math.PI * u2);
    }

    double exponential(double mean) {
        return -mean * StrictMath.log(1 - random.nextDouble());
    }

    int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return Math.max(0, (int) Math.round(mean + StrictMath.sqrt(mean) * gaussian()));
        }
        double limit = StrictMath.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }
}
