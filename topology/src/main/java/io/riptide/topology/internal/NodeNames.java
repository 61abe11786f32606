package io.riptide.topology.internal;

/**
 * Every source, processor, sink and store of the stream application, named once. Names are part of the
 * application's compatibility contract: changelog topics are derived from store names, so never rename one
 * without a migration (or a new application id).
 */
public final class NodeNames {
    public static final String TRADES_SOURCE = "market-trades-source";
    public static final String BOOKS_SOURCE = "market-book-source";
    public static final String LIQUIDATIONS_SOURCE = "market-liquidations-source";
    public static final String KLINES_SOURCE = "market-klines-source";
    public static final String TRADES_DECODER = "market-trades-decoder";
    public static final String BOOKS_DECODER = "market-book-decoder";
    public static final String LIQUIDATIONS_DECODER = "market-liquidations-decoder";
    public static final String KLINES_DECODER = "market-klines-decoder";

    /** Event-time merge of an instrument's inputs, bars and features. */
    public static final String MARKET_PROCESSOR = "market-events";
    public static final String MARKET_STORE = "market-state-store";
    /** Labels of every bar and horizon, training examples, online learners. */
    public static final String LABELLER = "liquidation-labeller";
    public static final String LABEL_STORE = "label-state-store";
    /** Micro-batched predictions, alerts, shadow predictions, prediction samples. */
    public static final String PREDICTOR = "liquidation-predictor";
    public static final String PREDICTOR_STORE = "predictor-state-store";
    /** What was served joined with what happened: outcomes and outcome samples. */
    public static final String OUTCOME_JOINER = "outcome-joiner";
    public static final String OUTCOME_STORE = "outcome-join-store";
    /** Pattern signals on closed bars, judged on their triple barrier: signals, pattern outcomes, examples. */
    public static final String PATTERN_SIGNALLER = "pattern-signaller";
    public static final String PATTERN_STORE = "pattern-signal-store";

    public static final String BARS_SINK = "bars-sink";
    public static final String FEATURES_SINK = "features-sink";
    public static final String PREDICTIONS_SINK = "predictions-liquidation-sink";
    public static final String SHADOW_PREDICTIONS_SINK = "predictions-shadow-sink";
    public static final String PATTERN_SIGNALS_SINK = "predictions-pattern-sink";
    public static final String PATTERN_OUTCOMES_SINK = "pattern-outcomes-sink";
    public static final String ALERTS_SINK = "alerts-sink";
    public static final String OUTCOMES_SINK = "outcomes-sink";
    public static final String TRAINING_EXAMPLES_SINK = "training-examples-sink";
    public static final String MONITORING_SAMPLES_SINK = "monitoring-samples-sink";
    public static final String DEADLETTER_SINK = "deadletter-sink";

    public static final String MONITORING_SAMPLES_SOURCE = "monitoring-samples-source";
    public static final String MODEL_MONITOR = "model-monitor";
    public static final String MODEL_MONITOR_STORE = "model-monitor-store";
    public static final String DRIFT_SINK = "drift-sink";
    public static final String PERFORMANCE_SINK = "performance-sink";

    public static final String MODEL_VERSIONS_SOURCE = "model-versions-source";
    public static final String MODEL_VERSION_LOADER = "model-version-loader";
    public static final String MODEL_VERSIONS_STORE = "model-versions-store";

    private NodeNames() {
    }
}
