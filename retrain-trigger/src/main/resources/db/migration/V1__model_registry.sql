-- Riptide system of record: training data, model registry, jobs, evaluations, live monitoring.

CREATE TABLE training_examples (
    example_id        TEXT PRIMARY KEY,             -- the prediction id; makes the sink idempotent
    instrument        TEXT NOT NULL,
    time_ms           BIGINT NOT NULL,              -- prediction (feature) time
    task              TEXT NOT NULL,
    horizon_minutes   INT NOT NULL,
    feature_set_id    TEXT NOT NULL,
    feature_set_hash  TEXT NOT NULL,
    features          DOUBLE PRECISION[] NOT NULL,
    label             SMALLINT NOT NULL,
    realized_value    DOUBLE PRECISION NOT NULL,
    regime            TEXT NOT NULL,
    inserted_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX training_examples_task_time ON training_examples (task, horizon_minutes, feature_set_hash, time_ms);

CREATE TABLE feature_sets (
    feature_set_hash  TEXT PRIMARY KEY,
    feature_set_id    TEXT NOT NULL,
    feature_names     TEXT[] NOT NULL
);

CREATE TABLE ml_training_jobs (
    id                BIGSERIAL PRIMARY KEY,
    model_key         TEXT NOT NULL,
    trigger           TEXT NOT NULL,                -- bootstrap, schedule, drift, performance, manual
    reason            TEXT NOT NULL,
    requested_by      TEXT NOT NULL,
    force             BOOLEAN NOT NULL DEFAULT FALSE,
    priority          INT NOT NULL DEFAULT 0,
    status            TEXT NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'REJECTED', 'FAILED')),
    progress          DOUBLE PRECISION NOT NULL DEFAULT 0,
    message           TEXT NOT NULL DEFAULT '',
    candidate_version INT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ
);
-- at most one queued or running job per model key: the dedupe rule, enforced by the database
CREATE UNIQUE INDEX ml_training_jobs_one_active ON ml_training_jobs (model_key) WHERE status IN ('QUEUED', 'RUNNING');

CREATE TABLE ml_models (
    id                      BIGSERIAL PRIMARY KEY,
    model_key               TEXT NOT NULL,
    version                 INT NOT NULL,
    format                  TEXT NOT NULL,
    sha256                  TEXT NOT NULL,
    feature_set_id          TEXT NOT NULL,
    feature_set_hash        TEXT NOT NULL,
    artifact                BYTEA NOT NULL,
    metrics                 JSONB NOT NULL,
    reference_distributions JSONB NOT NULL,
    training_examples       BIGINT NOT NULL,
    trained_from_ms         BIGINT NOT NULL,
    trained_to_ms           BIGINT NOT NULL,
    status                  TEXT NOT NULL CHECK (status IN ('CANDIDATE', 'REJECTED', 'SHADOW', 'PRODUCTION', 'ARCHIVED')),
    job_id                  BIGINT REFERENCES ml_training_jobs (id),
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (model_key, version)
);
CREATE UNIQUE INDEX ml_models_one_production ON ml_models (model_key) WHERE status = 'PRODUCTION';

CREATE TABLE ml_eval_history (
    id                 BIGSERIAL PRIMARY KEY,
    job_id             BIGINT NOT NULL REFERENCES ml_training_jobs (id),
    model_key          TEXT NOT NULL,
    candidate_version  INT NOT NULL,
    champion_version   INT NOT NULL,               -- 0 = rule-based fallback
    holdout_from_ms    BIGINT NOT NULL,
    holdout_to_ms      BIGINT NOT NULL,
    holdout_n          INT NOT NULL,
    candidate_metrics  JSONB NOT NULL,
    champion_metrics   JSONB NOT NULL,
    decision           TEXT NOT NULL CHECK (decision IN ('PROMOTE', 'REJECT')),
    reasons            TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Which version served which key, and since when. Append-only: "what served this key at time t" always has an answer.
CREATE TABLE ml_model_serving_history (
    id          BIGSERIAL PRIMARY KEY,
    model_key   TEXT NOT NULL,
    role        TEXT NOT NULL,
    version     INT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('PROMOTE', 'ROLLBACK', 'ARCHIVE')),
    actor       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE FUNCTION ml_model_serving_history_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ml_model_serving_history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ml_model_serving_history_no_rewrite BEFORE UPDATE OR DELETE ON ml_model_serving_history
    FOR EACH ROW EXECUTE FUNCTION ml_model_serving_history_is_append_only();

CREATE TABLE ml_performance_tracking (
    report_id        TEXT PRIMARY KEY,
    model_key        TEXT NOT NULL,
    model_version    INT NOT NULL,
    time_ms          BIGINT NOT NULL,
    window_start_ms  BIGINT NOT NULL,
    window_end_ms    BIGINT NOT NULL,
    n                INT NOT NULL,
    positives        INT NOT NULL,
    auc              DOUBLE PRECISION,
    f1               DOUBLE PRECISION NOT NULL,
    precision        DOUBLE PRECISION NOT NULL,
    recall           DOUBLE PRECISION NOT NULL,
    brier            DOUBLE PRECISION NOT NULL,
    log_loss         DOUBLE PRECISION NOT NULL
);

CREATE TABLE ml_drift_events (
    event_id       TEXT PRIMARY KEY,
    model_key      TEXT NOT NULL,
    model_version  INT NOT NULL,
    time_ms        BIGINT NOT NULL,
    detector       TEXT NOT NULL,
    subject        TEXT NOT NULL,
    statistic      DOUBLE PRECISION NOT NULL,
    threshold      DOUBLE PRECISION NOT NULL,
    severity       TEXT NOT NULL,
    window_size    INT NOT NULL
);
