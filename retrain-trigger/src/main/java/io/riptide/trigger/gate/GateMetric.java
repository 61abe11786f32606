package io.riptide.trigger.gate;

/** A hold-out metric the offline gate can check, by its name in the metric maps and in settings. */
public enum GateMetric {
    AUC("auc", "auc", true),
    PR_AUC("pr_auc", "pr-auc", true),
    LOG_LOSS("log_loss", "log-loss", false),
    BRIER("brier", "brier", false),
    PRECISION("precision", "precision", true),
    RECALL("recall", "recall", true),
    F1("f1", "f1", true),
    ECE("ece", "ece", false);

    private final String metricName;
    private final String settingName;
    private final boolean higherIsBetter;

    GateMetric(String metricName, String settingName, boolean higherIsBetter) {
        this.metricName = metricName;
        this.settingName = settingName;
        this.higherIsBetter = higherIsBetter;
    }

    /** The key in {@code BinaryMetrics.all}'s map and in {@code ml_eval_history}. */
    public String metricName() {
        return metricName;
    }

    /** The name in {@code trigger.gate.<metric>.*} settings. */
    public String settingName() {
        return settingName;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** {@code min} for a metric where higher is better, {@code max} for one where lower is. */
    public String limitSuffix() {
        return higherIsBetter ? "min" : "max";
    }

    /** How much worse {@code value} is than {@code reference}: positive when worse, in the metric's units. */
    double worseBy(double value, double reference) {
        return higherIsBetter ? reference - value : value - reference;
    }

    boolean withinLimit(double value, double limit, double tolerance) {
        return higherIsBetter ? value >= limit - tolerance : value <= limit + tolerance;
    }
}
