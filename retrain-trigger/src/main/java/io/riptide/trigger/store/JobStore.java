package io.riptide.trigger.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job queue in ml_training_jobs. The database enforces one queued-or-running job per model key, so concurrent
 * triggers (drift and a schedule at once, two trigger instances) collapse into one job.
 */
public final class JobStore {
    private final DataSource dataSource;

    public JobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Queues a job unless one is already queued or running for the key; returns its id when queued.
     *
     * @param marketTimeMs market time when it was queued ({@link io.riptide.trigger.MarketClock})
     */
    public Optional<Long> enqueue(String modelKey, String trigger, String reason, String requestedBy, boolean force,
                                  int priority, long marketTimeMs) {
        String sql = "INSERT INTO ml_training_jobs (model_key, trigger, reason, requested_by, force, priority, status, "
                + "queued_market_ms) VALUES (?, ?, ?, ?, ?, ?, 'QUEUED', ?) "
                + "ON CONFLICT (model_key) WHERE status IN ('QUEUED', 'RUNNING') DO NOTHING RETURNING id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modelKey);
            ps.setString(2, trigger);
            ps.setString(3, reason);
            ps.setString(4, requestedBy);
            ps.setBoolean(5, force);
            ps.setInt(6, priority);
            ps.setLong(7, marketTimeMs);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlException("queueing a job for " + modelKey, e);
        }
    }

    /** The job queued or running for the key, if any. */
    public Optional<Long> activeJob(String modelKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM ml_training_jobs WHERE model_key = ? AND status IN ('QUEUED', 'RUNNING')")) {
            ps.setString(1, modelKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlException("reading the active job of " + modelKey, e);
        }
    }

    /**
     * Takes the most urgent claimable job, a queued one or a running one whose lease has expired, and leases it to
     * {@code owner} for {@code leaseMs}; safe with several runners and several trigger instances.
     */
    public Optional<TrainingJob> claimNext(String owner, long leaseMs) {
        String sql = "UPDATE ml_training_jobs SET status = 'RUNNING', started_at = coalesce(started_at, now()), "
                + "message = CASE WHEN status = 'RUNNING' THEN 'taken over: the lease of ' || lease_owner "
                + "|| ' expired' ELSE message END, "
                + "lease_owner = ?, lease_expires_at = now() + ? * interval '1 millisecond', attempts = attempts + 1 "
                + "WHERE id = (SELECT id FROM ml_training_jobs WHERE status = 'QUEUED' OR (status = 'RUNNING' "
                + "AND (lease_expires_at IS NULL OR lease_expires_at < now())) ORDER BY priority DESC, id "
                + "FOR UPDATE SKIP LOCKED LIMIT 1) "
                + "RETURNING id, model_key, trigger, reason, requested_by, force, lease_owner, attempts";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setLong(2, leaseMs);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TrainingJob(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBoolean(6), rs.getString(7), rs.getInt(8)));
            }
        } catch (SQLException e) {
            throw new SqlException("claiming a training job", e);
        }
    }

    /** A lease is held by one claim: its owner and its attempt, so a stale runner of an earlier claim holds none. */
    private static final String HELD = " AND status = 'RUNNING' AND lease_owner = ? AND attempts = ?";

    /** Extends the lease of a running job; false when this claim of it no longer holds it. */
    public boolean renewLease(TrainingJob job, long leaseMs) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ml_training_jobs SET lease_expires_at = now() + ? * interval '1 millisecond' WHERE id = ?"
                        + HELD)) {
            ps.setLong(1, leaseMs);
            ps.setLong(2, job.id());
            ps.setString(3, job.leaseOwner());
            ps.setInt(4, job.attempts());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new SqlException("renewing the lease of job " + job.id(), e);
        }
    }

    /** The job as this claim of it holds it (what a job's own process runs), if the claim still holds it. */
    public Optional<TrainingJob> leased(long jobId, String owner, int attempts) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, model_key, trigger, reason, requested_by, force, lease_owner, attempts "
                        + "FROM ml_training_jobs WHERE id = ?" + HELD)) {
            ps.setLong(1, jobId);
            ps.setString(2, owner);
            ps.setInt(3, attempts);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new TrainingJob(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getString(7), rs.getInt(8)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlException("reading job " + jobId, e);
        }
    }

    /**
     * Records progress while {@code job}'s runner holds its lease.
     *
     * @throws LeaseLostException when another runner took the job over (this one was too slow to renew)
     */
    public void progress(TrainingJob job, double progress, String message) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ml_training_jobs SET progress = ?, message = ? WHERE id = ?" + HELD)) {
            ps.setDouble(1, progress);
            ps.setString(2, message);
            ps.setLong(3, job.id());
            ps.setString(4, job.leaseOwner());
            ps.setInt(5, job.attempts());
            if (ps.executeUpdate() != 1) {
                throw new LeaseLostException(job);
            }
        } catch (SQLException e) {
            throw new SqlException("updating job " + job.id(), e);
        }
    }

    /**
     * Records a job's end while its runner holds the lease; false, and nothing written, when another runner took
     * it over (that one finishes it, resuming from what this one recorded: {@code JobResumption}).
     *
     * @param marketTimeMs     market time when it finished
     * @param startsCooldown   whether its key's cooldown starts now (not for a job that could not train at all)
     */
    public boolean finish(TrainingJob job, String status, String message, Integer candidateVersion,
                          long marketTimeMs, boolean startsCooldown) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ml_training_jobs SET status = ?, message = ?, progress = 1, finished_at = now(), "
                        + "candidate_version = ?, finished_market_ms = ?, starts_cooldown = ? WHERE id = ?" + HELD)) {
            ps.setString(1, status);
            ps.setString(2, message);
            if (candidateVersion == null) {
                ps.setNull(3, java.sql.Types.INTEGER);
            } else {
                ps.setInt(3, candidateVersion);
            }
            ps.setLong(4, marketTimeMs);
            ps.setBoolean(5, startsCooldown);
            ps.setLong(6, job.id());
            ps.setString(7, job.leaseOwner());
            ps.setInt(8, job.attempts());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new SqlException("finishing job " + job.id(), e);
        }
    }

    /**
     * Sets when a job finished in market time, which only the service knows, for a job that ended in a process of
     * its own (that process saw market time as it was at its start).
     */
    public void correctFinishedMarketMs(TrainingJob job, long marketTimeMs) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ml_training_jobs SET finished_market_ms = greatest(finished_market_ms, ?) WHERE id = ? "
                        + "AND lease_owner = ? AND attempts = ? AND finished_market_ms IS NOT NULL")) {
            ps.setLong(1, marketTimeMs);
            ps.setLong(2, job.id());
            ps.setString(3, job.leaseOwner());
            ps.setInt(4, job.attempts());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlException("updating job " + job.id(), e);
        }
    }

    /**
     * At start-up, the jobs this runner's earlier life left RUNNING (same {@code owner}), and those of trigger
     * versions without leases, go back to the queue at once; jobs leased by other runners wait for their leases to
     * expire.
     */
    public int requeueOwnedBy(String owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ml_training_jobs SET status = 'QUEUED', message = 'requeued after a restart of ' "
                        + "|| coalesce(lease_owner, 'its runner'), lease_owner = NULL, lease_expires_at = NULL "
                        + "WHERE status = 'RUNNING' AND (lease_owner = ? OR lease_owner IS NULL)")) {
            ps.setString(1, owner);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlException("requeueing interrupted jobs", e);
        }
    }

    /** Market time at which the last job for the key that started a cooldown finished, if any. */
    public Optional<Long> lastFinishedMarketMs(String modelKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT max(finished_market_ms) FROM ml_training_jobs WHERE model_key = ? AND starts_cooldown")) {
            ps.setString(1, modelKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long t = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(t);
            }
        } catch (SQLException e) {
            throw new SqlException("reading the last job of " + modelKey, e);
        }
    }

    /** A finished or waiting job as history shows it; market times may be null for jobs of older versions. */
    public record JobRecord(long id, String modelKey, String trigger, String status, String message,
                            Integer candidateVersion, Long queuedMarketMs, Long finishedMarketMs) {
    }

    /** Every job, oldest first. */
    public List<JobRecord> history() {
        List<JobRecord> out = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, model_key, trigger, status, message, candidate_version, queued_market_ms, "
                        + "finished_market_ms FROM ml_training_jobs ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new JobRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), (Integer) rs.getObject(6), (Long) rs.getObject(7), (Long) rs.getObject(8)));
            }
            return out;
        } catch (SQLException e) {
            throw new SqlException("reading the job history", e);
        }
    }

    /** Job counts by status, e.g. {SUCCEEDED=2, REJECTED=1}. */
    public Map<String, Integer> countsByStatus() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, count(*) FROM ml_training_jobs GROUP BY status ORDER BY status");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
            return counts;
        } catch (SQLException e) {
            throw new SqlException("counting jobs", e);
        }
    }
}
