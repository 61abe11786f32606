-- The outbox of what serves: a row is written in the transaction that makes a version PRODUCTION, and the trigger's
-- reconciler publishes it to models.versions and then marks it. A crash between the two steps leaves the row
-- pending, and the next reconcile (at start and every job-loop pass) publishes it, so the registry and the streams
-- never disagree for longer than one reconcile step (docs/RELIABILITY.md, "Promotion").
CREATE TABLE ml_model_publications (
    id           BIGSERIAL PRIMARY KEY,
    model_key    TEXT NOT NULL,
    version      INT NOT NULL,
    reason       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX ml_model_publications_pending ON ml_model_publications (id) WHERE published_at IS NULL;
