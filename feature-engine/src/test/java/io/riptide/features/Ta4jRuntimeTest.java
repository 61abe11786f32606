package io.riptide.features;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Makes the ta4j second opinion visible when it cannot run: ta4j 0.18 needs Java 21+, so on an older JDK its tests
 * (package io.riptide.features.ta4j) are not compiled and this test reports itself skipped with the reason.
 */
class Ta4jRuntimeTest {
    @Test
    void ta4jSecondOpinionRunsOnThisJdk() {
        Assumptions.assumeTrue(Runtime.version().feature() >= 21,
                "ta4j 0.18 needs Java 21+ but the build runs on Java " + Runtime.version().feature()
                        + ": the ta4j second-opinion tests were not compiled; run the build with a JDK 21+ to include them");
    }
}
