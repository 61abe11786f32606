-- Jobs are claimed with a lease: the runner that claims a job owns it until lease_expires_at and renews the lease
-- while the job runs. A job whose lease expired (its runner was killed, or lost the database) can be claimed by any
-- runner, so a restart or a second trigger instance neither runs a job twice nor loses one (docs/RETRAINING.md).
ALTER TABLE ml_training_jobs
    ADD COLUMN lease_owner      TEXT,
    ADD COLUMN lease_expires_at TIMESTAMPTZ,
    ADD COLUMN attempts         INT NOT NULL DEFAULT 0;
CREATE INDEX ml_training_jobs_claimable ON ml_training_jobs (priority DESC, id) WHERE status IN ('QUEUED', 'RUNNING');
