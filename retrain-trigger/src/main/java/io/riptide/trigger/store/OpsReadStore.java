package io.riptide.trigger.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read queries of the ops API and console over the registry, job and monitoring tables. Rows come back as ordered
 * maps ready for JSON: columns in camelCase, timestamps as ISO-8601 text, JSONB columns parsed, NaN as null.
 * Nothing here writes.
 */
public final class OpsReadStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL_COLUMNS = "model_key, version, status, format, sha256, feature_set_id, "
            + "feature_set_hash, training_examples, trained_from_ms, trained_to_ms, metrics, calibration, job_id, "
            + "created_at";

    private final DataSource dataSource;

    public OpsReadStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every version of every key (or of one key), without artifacts, oldest first. */
    public List<Map<String, Object>> models(String modelKey) {
        return query("SELECT " + MODEL_COLUMNS + " FROM ml_models" + (modelKey == null ? "" : " WHERE model_key = ?")
                + " ORDER BY model_key, version", modelKey == null ? List.of() : List.of(modelKey));
    }

    /** The keys that have a version, a job or monitoring data, sorted. */
    /** Promotions committed in the registry and not yet published to models.versions (the outbox's backlog). */
    public long pendingPublications() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM ml_model_publications WHERE published_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new SqlException("counting the pending model publications", e);
        }
    }

    public List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> row : query("SELECT model_key FROM ml_models UNION SELECT model_key FROM "
                + "ml_training_jobs UNION SELECT model_key FROM ml_performance_tracking ORDER BY 1", List.of())) {
            keys.add((String) row.get("modelKey"));
        }
        return keys;
    }

    /** The artifact bytes and format of one version (for feature importance), if it exists. */
    public Optional<StoredArtifact> artifact(String modelKey, int version) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT format, sha256, artifact, (SELECT feature_names FROM feature_sets f "
                        + "WHERE f.feature_set_hash = m.feature_set_hash) FROM ml_models m "
                        + "WHERE model_key = ? AND version = ?")) {
            ps.setString(1, modelKey);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                java.sql.Array names = rs.getArray(4);
                return Optional.of(new StoredArtifact(rs.getString(1), rs.getString(2), rs.getBytes(3),
                        names == null ? List.of() : List.of((String[]) names.getArray())));
            }
        } catch (SQLException e) {
            throw new SqlException("reading the artifact of " + modelKey + " v" + version, e);
        }
    }

    /** A model's bytes as stored, with the names of its features in order. */
    public record StoredArtifact(String format, String sha256, byte[] bytes, List<String> featureNames) {
    }

    /** Champion-versus-candidate decisions of a key, oldest first. */
    public List<Map<String, Object>> evaluations(String modelKey) {
        return query("SELECT job_id, candidate_version, champion_version, holdout_from_ms, holdout_to_ms, holdout_n, "
                + "candidate_metrics, champion_metrics, decision, reasons, created_at FROM ml_eval_history "
                + "WHERE model_key = ? ORDER BY id", List.of(modelKey));
    }

    /** The append-only serving history, newest first, of one key or all. */
    public List<Map<String, Object>> servingHistory(String modelKey, int limit) {
        List<Object> args = new ArrayList<>();
        if (modelKey != null) {
            args.add(modelKey);
        }
        args.add(limit);
        return query("SELECT id, model_key, role, version, action, actor, reason, at FROM ml_model_serving_history"
                + (modelKey == null ? "" : " WHERE model_key = ?") + " ORDER BY id DESC LIMIT ?", args);
    }

    /** Live performance reports of a key, oldest first (the most recent {@code limit}). */
    public List<Map<String, Object>> performance(String modelKey, int limit) {
        return query("SELECT * FROM (SELECT model_version AS version, time_ms, window_start_ms, window_end_ms, n, "
                + "positives, auc, f1, precision, recall, brier, log_loss FROM ml_performance_tracking "
                + "WHERE model_key = ? ORDER BY time_ms DESC LIMIT ?) p ORDER BY time_ms", List.of(modelKey, limit));
    }

    private static final String JOB_SELECT = "SELECT j.id, j.model_key, j.trigger, j.reason, j.requested_by, j.force, "
            + "j.priority, j.status, j.progress, j.message, j.candidate_version, j.created_at, j.started_at, "
            + "j.finished_at, e.decision AS gate_decision, e.reasons AS gate_reasons, "
            + "e.champion_version AS gate_champion_version, (e.candidate_metrics ->> 'auc')::float8 AS gate_candidate_auc, "
            + "(e.champion_metrics ->> 'auc')::float8 AS gate_champion_auc, e.holdout_n AS gate_holdout_n "
            + "FROM ml_training_jobs j LEFT JOIN ml_eval_history e ON e.job_id = j.id";

    /** Jobs, newest first, optionally of one key and status. */
    public List<Map<String, Object>> jobs(String modelKey, String status, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder(JOB_SELECT).append(" WHERE true");
        if (modelKey != null) {
            sql.append(" AND j.model_key = ?");
            args.add(modelKey);
        }
        if (status != null) {
            sql.append(" AND j.status = ?");
            args.add(status);
        }
        sql.append(" ORDER BY j.id DESC LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args);
    }

    public Optional<Map<String, Object>> job(long id) {
        List<Map<String, Object>> rows = query(JOB_SELECT + " WHERE j.id = ?", List.of(id));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Recent drift events, newest first, filtered by whatever is not null. */
    public List<Map<String, Object>> driftEvents(String modelKey, String detector, String severity, Long sinceMs,
                                                 int limit) {
        List<Object> args = new ArrayList<>();
        String where = driftWhere(modelKey, detector, severity, sinceMs, args);
        args.add(limit);
        return query("SELECT event_id, model_key, model_version AS version, time_ms, detector, subject, statistic, "
                + "threshold, severity, window_size FROM ml_drift_events" + where + " ORDER BY time_ms DESC, event_id "
                + "LIMIT ?", args);
    }

    /** Drift by key and detector over the same filter: counts per severity, the last and the largest statistic. */
    public List<Map<String, Object>> driftSummary(String modelKey, String detector, String severity, Long sinceMs) {
        List<Object> args = new ArrayList<>();
        String where = driftWhere(modelKey, detector, severity, sinceMs, args);
        return query("SELECT model_key, detector, count(*) AS events, "
                + "count(*) FILTER (WHERE severity = 'WARNING') AS warning, "
                + "count(*) FILTER (WHERE severity = 'CRITICAL') AS critical, max(statistic) AS max_statistic, "
                + "(array_agg(statistic ORDER BY time_ms DESC))[1] AS last_statistic, "
                + "(array_agg(subject ORDER BY time_ms DESC))[1] AS last_subject, max(time_ms) AS last_time_ms "
                + "FROM ml_drift_events" + where + " GROUP BY model_key, detector ORDER BY model_key, detector", args);
    }

    private static String driftWhere(String modelKey, String detector, String severity, Long sinceMs,
                                     List<Object> args) {
        StringBuilder where = new StringBuilder(" WHERE true");
        if (modelKey != null) {
            where.append(" AND model_key = ?");
            args.add(modelKey);
        }
        if (detector != null) {
            where.append(" AND detector = ?");
            args.add(detector);
        }
        if (severity != null) {
            where.append(" AND severity = ?");
            args.add(severity);
        }
        if (sinceMs != null) {
            where.append(" AND time_ms >= ?");
            args.add(sinceMs);
        }
        return where.toString();
    }

    /** Whether the database answers (readiness). */
    public void ping() {
        query("SELECT 1 AS ok", List.of());
    }

    private List<Map<String, Object>> query(String sql, List<?> args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        row.put(camel(meta.getColumnLabel(col)), value(rs.getObject(col), meta.getColumnTypeName(col)));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new SqlException("ops read query failed", e);
        }
    }

    private static Object value(Object raw, String typeName) throws SQLException {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (raw instanceof Double d && !Double.isFinite(d)) {
            return null; // NaN stored for an undefined metric: JSON has no NaN
        }
        if ("jsonb".equals(typeName) || "json".equals(typeName)) {
            try {
                return JSON.readValue(raw.toString(), Object.class);
            } catch (JsonProcessingException e) {
                throw new SQLException("corrupt JSON in a " + typeName + " column", e);
            }
        }
        if (raw instanceof java.sql.Array array) {
            return List.of((Object[]) array.getArray());
        }
        return raw;
    }

    static String camel(String column) {
        StringBuilder out = new StringBuilder(column.length());
        boolean up = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return out.toString();
    }
}
