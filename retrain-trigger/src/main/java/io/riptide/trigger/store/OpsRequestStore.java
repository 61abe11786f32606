package io.riptide.trigger.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ops request log ({@code ops_requests}): every request from Kafka or HTTP with its decision and outcome. One row
 * per request id, so a redelivered request is recognised and not carried out twice.
 */
public final class OpsRequestStore {
    private static final List<String> COLUMN_NAMES = List.of("request_id", "source", "action", "model_key",
            "requested_by", "reason", "force", "target_version", "status", "message", "job_id", "model_version",
            "received_at", "decided_at", "finished_at");
    private static final String COLUMNS = String.join(", ", COLUMN_NAMES);

    /** A row of ops_requests. Times are null until the step happened. */
    public record OpsRequestRow(String requestId, String source, String action, String modelKey, String requestedBy,
                                String reason, boolean force, Integer targetVersion, String status, String message,
                                Long jobId, Integer modelVersion, Instant receivedAt, Instant decidedAt,
                                Instant finishedAt) {
        public boolean terminal() {
            return !status.equals("RECEIVED") && !status.equals("ACCEPTED");
        }
    }

    private final DataSource dataSource;

    public OpsRequestStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a new request as RECEIVED; false when the request id is already known (a redelivery). */
    public boolean receive(String requestId, String source, String action, String modelKey, String requestedBy,
                           String reason, boolean force, Integer targetVersion) {
        String sql = "INSERT INTO ops_requests (request_id, source, action, model_key, requested_by, reason, force, "
                + "target_version, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'RECEIVED') ON CONFLICT (request_id) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, requestId);
            ps.setString(2, source);
            ps.setString(3, action);
            ps.setString(4, modelKey);
            ps.setString(5, requestedBy);
            ps.setString(6, reason);
            ps.setBoolean(7, force);
            setInt(ps, 8, targetVersion);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new SqlException("recording ops request " + requestId, e);
        }
    }

    /** Records the decision (ACCEPTED, REFUSED, SUCCEEDED or FAILED). */
    public void decide(String requestId, String status, String message, Long jobId, Integer modelVersion) {
        boolean terminal = !status.equals("ACCEPTED");
        String sql = "UPDATE ops_requests SET status = ?, message = ?, job_id = ?, model_version = ?, decided_at = now()"
                + (terminal ? ", finished_at = now()" : "") + " WHERE request_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, status);
            ps.setString(2, message);
            if (jobId == null) {
                ps.setNull(3, Types.BIGINT);
            } else {
                ps.setLong(3, jobId);
            }
            setInt(ps, 4, modelVersion);
            ps.setString(5, requestId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlException("recording the decision on ops request " + requestId, e);
        }
    }

    /**
     * Accepted requests whose job has finished: each is moved to the job's outcome (SUCCEEDED, REJECTED or FAILED)
     * and returned, once. Safe with several trigger instances (the update claims the rows).
     */
    public List<OpsRequestRow> completeFinishedJobs() {
        String sql = "UPDATE ops_requests r SET status = j.status, message = j.message, model_version = j.candidate_version, "
                + "finished_at = now() FROM ml_training_jobs j WHERE r.status = 'ACCEPTED' AND r.job_id = j.id "
                + "AND j.status IN ('SUCCEEDED', 'REJECTED', 'FAILED') RETURNING "
                + String.join(", ", COLUMN_NAMES.stream().map(n -> "r." + n).toList());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<OpsRequestRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(read(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new SqlException("completing ops requests of finished jobs", e);
        }
    }

    public Optional<OpsRequestRow> find(String requestId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM ops_requests WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlException("reading ops request " + requestId, e);
        }
    }

    /** The most recent requests, newest first, optionally of one model key. */
    public List<OpsRequestRow> recent(String modelKey, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM ops_requests" + (modelKey == null ? "" : " WHERE model_key = ?")
                + " ORDER BY received_at DESC, request_id LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (modelKey != null) {
                ps.setString(i++, modelKey);
            }
            ps.setInt(i, limit);
            List<OpsRequestRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new SqlException("listing ops requests", e);
        }
    }

    private static OpsRequestRow read(ResultSet rs) throws SQLException {
        return new OpsRequestRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getBoolean(7), (Integer) rs.getObject(8), rs.getString(9), rs.getString(10),
                (Long) rs.getObject(11), (Integer) rs.getObject(12), instant(rs, 13), instant(rs, 14), instant(rs, 15));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        java.sql.Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
