-- Policies run on market (event) time, so a replay at any speed, or a backtest, times its schedules and cooldowns
-- the way a live run would: when each job was queued and finished, in the market time of the data seen so far.
ALTER TABLE ml_training_jobs ADD COLUMN queued_market_ms BIGINT;
ALTER TABLE ml_training_jobs ADD COLUMN finished_market_ms BIGINT;
UPDATE ml_training_jobs SET queued_market_ms = (extract(epoch FROM created_at) * 1000)::BIGINT,
                            finished_market_ms = (extract(epoch FROM finished_at) * 1000)::BIGINT;
-- A job that could not train (not enough data) starts no cooldown: the next one runs as soon as the data is there.
ALTER TABLE ml_training_jobs ADD COLUMN starts_cooldown BOOLEAN NOT NULL DEFAULT TRUE;
