-- Every ops request, from ops.retrain-requests (source kafka) or the trigger's HTTP API (source http), with its
-- decision and outcome: the ops audit, and what makes a redelivered request a no-op (one row per request id).
CREATE TABLE ops_requests (
    request_id     TEXT PRIMARY KEY,
    source         TEXT NOT NULL CHECK (source IN ('kafka', 'http')),
    action         TEXT NOT NULL CHECK (action IN ('RETRAIN', 'ROLLBACK', 'PROMOTE')),
    model_key      TEXT NOT NULL,
    requested_by   TEXT NOT NULL,                -- for http: the authenticated token's principal
    reason         TEXT NOT NULL,
    force          BOOLEAN NOT NULL DEFAULT FALSE,
    target_version INT,
    status         TEXT NOT NULL CHECK (status IN ('RECEIVED', 'ACCEPTED', 'REFUSED', 'SUCCEEDED', 'REJECTED', 'FAILED')),
    message        TEXT NOT NULL DEFAULT '',
    job_id         BIGINT,
    model_version  INT,
    received_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ
);
-- accepted retrains wait for their job: the reply tracker looks them up by job
CREATE INDEX ops_requests_waiting ON ops_requests (job_id) WHERE status = 'ACCEPTED';
CREATE INDEX ops_requests_received ON ops_requests (received_at DESC);
