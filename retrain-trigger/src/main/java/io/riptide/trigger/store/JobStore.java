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

    /** Takes the most urgent queued job and marks it RUNNING; safe with several runners. */
    public Optional<TrainingJob> claimNext() {
        String sql = "UPDATE ml_training_jobs SET status = 'RUNNING', started_at = now() WHERE id = ("
                + "SELECT id FROM ml_training_jobs WHERE status = 'QUEUED' ORDER BY priority DESC, id "
                + "FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id, model_key, trigger, reason, requested_by, force";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new TrainingJob(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getBoolean(6)));
        } catch (SQLException e) {
            throw new SqlException("claiming a training job", e);
        }
    }

    public void progress(long jobId, double progress, String message) {
        update("UPDATE ml_training_jobs SET progress = ?, message = ? WHERE id = ?", jobId, ps -> {
            ps.setDouble(1, progress);
            ps.setString(2, message);
            ps.setLong(3, jobId);
        });
    }

    /**
     * @param marketTimeMs     market time when it finished
     * @param startsCooldown   whether its key's cooldown starts now (not for a job that could not train at all)
     */
    public void finish(long jobId, String status, String message, Integer candidateVersion, long marketTimeMs,
                       boolean startsCooldown) {
        update("UPDATE ml_training_jobs SET status = ?, message = ?, progress = 1, finished_at = now(), "
                + "candidate_version = ?, finished_market_ms = ?, starts_cooldown = ? WHERE id = ?", jobId, ps -> {
            ps.setString(1, status);
            ps.setString(2, message);
            if (candidateVersion == null) {
                ps.setNull(3, java.sql.Types.INTEGER);
            } else {
                ps.setInt(3, candidateVersion);
            }
            ps.setLong(4, marketTimeMs);
            ps.setBoolean(5, startsCooldown);
            ps.setLong(6, jobId);
        });
    }

    /** Jobs left RUNNING by a crashed runner go back to the queue at start-up. */
    public int requeueInterrupted() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ml_training_jobs SET status = 'QUEUED', message = 'requeued after restart' "
                        + "WHERE status = 'RUNNING'")) {
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

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, long jobId, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlException("updating job " + jobId, e);
        }
    }
}
