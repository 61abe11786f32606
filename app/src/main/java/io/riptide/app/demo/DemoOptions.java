package io.riptide.app.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a demo run was asked to do.
 *
 * @param opsPort port of the ops API, console, health and metrics while the demo runs; 0 = none
 */
record DemoOptions(Duration duration, long seed, Path out, int speed, List<Integer> horizons, String trainer,
                   boolean quiet, int opsPort) {

    DemoOptions(Duration duration, long seed, Path out, int speed, List<Integer> horizons, String trainer,
                boolean quiet) {
        this(duration, seed, out, speed, horizons, trainer, quiet, 0);
    }
}
