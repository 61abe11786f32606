-- The shadow lifecycle (docs/RETRAINING.md, "Lifecycle"): a candidate that passes the offline gates serves as SHADOW
-- first, and is promoted or retired on live outcomes that production scored too.
ALTER TABLE ml_models DROP CONSTRAINT ml_models_status_check;
ALTER TABLE ml_models ADD CONSTRAINT ml_models_status_check
    CHECK (status IN ('CANDIDATE', 'REJECTED', 'SHADOW', 'PRODUCTION', 'ARCHIVED', 'RETIRED'));
-- market time at which a version became its key's shadow: its probation is counted from there
ALTER TABLE ml_models ADD COLUMN shadow_since_market_ms BIGINT;
CREATE UNIQUE INDEX ml_models_one_shadow ON ml_models (model_key) WHERE status = 'SHADOW';
-- the market time of the key's latest performance report when a version became production: the automatic rollback
-- judges only reports after it, not what the version did as a shadow
ALTER TABLE ml_models ADD COLUMN production_since_market_ms BIGINT;

ALTER TABLE ml_model_serving_history DROP CONSTRAINT ml_model_serving_history_action_check;
ALTER TABLE ml_model_serving_history ADD CONSTRAINT ml_model_serving_history_action_check
    CHECK (action IN ('PROMOTE', 'ROLLBACK', 'ARCHIVE', 'SHADOW', 'RETIRE'));

-- OFFLINE: a job's gate on its hold-out; LIVE: the promotion test of a shadow on paired live outcomes
ALTER TABLE ml_eval_history ADD COLUMN stage TEXT NOT NULL DEFAULT 'OFFLINE' CHECK (stage IN ('OFFLINE', 'LIVE'));
ALTER TABLE ml_eval_history DROP CONSTRAINT ml_eval_history_decision_check;
ALTER TABLE ml_eval_history ADD CONSTRAINT ml_eval_history_decision_check
    CHECK (decision IN ('PROMOTE', 'REJECT', 'RETIRE'));
ALTER TABLE ml_eval_history ALTER COLUMN job_id DROP NOT NULL;

-- what a publication tells the streams: serve as production, serve as shadow, or stop the key's shadow
ALTER TABLE ml_model_publications ADD COLUMN role TEXT NOT NULL DEFAULT 'PRODUCTION'
    CHECK (role IN ('PRODUCTION', 'SHADOW', 'SHADOW_WITHDRAWN'));

-- One row per outcome a shadow was scored on, with production's probability for the same bar. Keyed by what it
-- pairs, so a redelivered outcome is stored once.
CREATE TABLE ml_shadow_outcomes (
    model_key          TEXT NOT NULL,
    shadow_version     INT NOT NULL,
    prediction_id      TEXT NOT NULL,
    production_version INT NOT NULL,                -- 0 = rule-based fallback
    prediction_time_ms BIGINT NOT NULL,
    resolved_at_ms     BIGINT NOT NULL,
    label              SMALLINT NOT NULL,
    production_p       DOUBLE PRECISION NOT NULL,
    shadow_p           DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (model_key, shadow_version, prediction_id)
);
