package io.riptide.app.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What a demo run was asked to do. */
record DemoOptions(Duration duration, long seed, Path out, int speed, List<Integer> horizons, String trainer,
                   boolean quiet) {
}
