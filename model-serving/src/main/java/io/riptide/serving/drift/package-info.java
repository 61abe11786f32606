/**
 * Drift detection for the model monitor: sequential detectors on a per-outcome stream (concept drift:
 * {@link io.riptide.serving.drift.Adwin}, {@link io.riptide.serving.drift.PageHinkley}) and window tests of live bin
 * counts against a training reference histogram (data drift: {@link io.riptide.serving.drift.KolmogorovSmirnov},
 * {@link io.riptide.serving.drift.Wasserstein}).
 *
 * <p>Pure Java, deterministic (no randomness, no clock). Sequential detectors keep bounded, primitive state that
 * serialises to a few hundred bytes ({@code toBytes()} / {@code fromBytes()}, leading format byte: high nibble the
 * detector, low nibble the version) so a state store can hold one per model version and subject; a restored
 * detector continues exactly as the original would have. Detectors are not thread-safe: one per key, used by one
 * stream thread. See docs/MODELS.md, "Drift detectors".
 */
package io.riptide.serving.drift;
