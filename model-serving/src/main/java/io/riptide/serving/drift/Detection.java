package io.riptide.serving.drift;

/**
 * An alarm of a sequential {@link DriftDetector}: what a drift event needs.
 *
 * <p>The stream is split at an estimated change point into an older part ("before") and a newer part ("after"):
 * for {@link Adwin} the two sub-windows of the first cut that held, for {@link PageHinkley} the values before and
 * after the last time its statistic was at zero (the latest minimum of the cumulative deviation).
 *
 * @param detector    {@link Adwin#NAME} or {@link PageHinkley#NAME}
 * @param index       how many values the detector had been given when it fired (1-based, counted across
 *                    restores and resets)
 * @param statistic   the detector's statistic: |meanBefore - meanAfter| (ADWIN) or m_T - M_T (Page-Hinkley)
 * @param threshold   the threshold it crossed: epsilon_cut for these sizes (ADWIN) or lambda (Page-Hinkley)
 * @param sizeBefore  values in the older part
 * @param sizeAfter   values in the newer part
 * @param meanBefore  mean of the older part
 * @param meanAfter   mean of the newer part
 * @param windowAfter values the detector still holds after the alarm (ADWIN's shrunk window; 0 for Page-Hinkley,
 *                    which starts over)
 */
public record Detection(String detector, long index, double statistic, double threshold, long sizeBefore,
                        long sizeAfter, double meanBefore, double meanAfter, long windowAfter) {

    /** The watched value went up: on a loss, the model got worse (the only change worth an alarm). */
    public boolean isRise() {
        return meanAfter > meanBefore;
    }
}
