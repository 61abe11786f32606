package io.riptide.trigger.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry: versions in ml_models, decisions in ml_eval_history, and the append-only history of which
 * version served each key.
 */
public final class ModelRegistryStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL_COLUMNS = "id, model_key, version, format, sha256, feature_set_id, "
            + "feature_set_hash, artifact, metrics::text, reference_distributions::text, training_examples, "
            + "trained_from_ms, trained_to_ms, status, (extract(epoch from created_at) * 1000)::bigint, "
            + "(SELECT feature_names FROM feature_sets f WHERE f.feature_set_hash = ml_models.feature_set_hash), "
            + "calibration";

    private final DataSource dataSource;

    public ModelRegistryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public int nextVersion(String modelKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(version), 0) + 1 FROM ml_models WHERE model_key = ?")) {
            ps.setString(1, modelKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new SqlException("allocating a version for " + modelKey, e);
        }
    }

    /** Records a trained model with the given status (CANDIDATE or REJECTED); returns its row id. */
    public long insert(StoredModel m, long jobId) {
        String sql = "INSERT INTO ml_models (model_key, version, format, sha256, feature_set_id, feature_set_hash, "
                + "artifact, metrics, reference_distributions, training_examples, trained_from_ms, trained_to_ms, "
                + "status, job_id, calibration) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?) "
                + "RETURNING id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, m.modelKey());
            ps.setInt(2, m.version());
            ps.setString(3, m.format());
            ps.setString(4, m.sha256());
            ps.setString(5, m.featureSetId());
            ps.setString(6, m.featureSetHash());
            ps.setBytes(7, m.artifact());
            ps.setString(8, json(m.metrics()));
            ps.setString(9, json(m.referenceDistributions()));
            ps.setLong(10, m.trainingExamples());
            ps.setLong(11, m.trainedFromMs());
            ps.setLong(12, m.trainedToMs());
            ps.setString(13, m.status());
            ps.setLong(14, jobId);
            ps.setString(15, m.calibration());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new SqlException("recording " + m.modelKey() + " v" + m.version(), e);
        }
    }

    /** What an earlier run of a job recorded: its newest model, that model's status, the gate's decision if any. */
    public record JobOutcome(int version, String status, String decision) {
    }

    /** What an earlier run of this job left in the registry, if anything (see {@code JobResumption}). */
    public Optional<JobOutcome> outcomeOfJob(long jobId) {
        String sql = "SELECT m.version, m.status, (SELECT e.decision FROM ml_eval_history e WHERE e.job_id = m.job_id "
                + "AND e.candidate_version = m.version AND e.stage = 'OFFLINE' ORDER BY e.id DESC LIMIT 1) "
                + "FROM ml_models m WHERE m.job_id = ? ORDER BY m.id DESC LIMIT 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new JobOutcome(rs.getInt(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlException("reading what job " + jobId + " recorded", e);
        }
    }

    /** Deletes the models of a job that have no recorded decision (a run cut off between the two writes). */
    public int discardUndecided(long jobId) {
        String sql = "DELETE FROM ml_models m WHERE m.job_id = ? AND m.status IN ('CANDIDATE', 'REJECTED') "
                + "AND NOT EXISTS (SELECT 1 FROM ml_eval_history e WHERE e.job_id = m.job_id "
                + "AND e.candidate_version = m.version)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, jobId);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlException("discarding the undecided models of job " + jobId, e);
        }
    }

    public Optional<StoredModel> production(String modelKey) {
        return queryOne("SELECT " + MODEL_COLUMNS + " FROM ml_models WHERE model_key = ? AND status = 'PRODUCTION'",
                modelKey, null);
    }

    public Optional<StoredModel> find(String modelKey, int version) {
        return queryOne("SELECT " + MODEL_COLUMNS + " FROM ml_models WHERE model_key = ? AND version = ?",
                modelKey, version);
    }

    /** The version that served the key before the current one, per the serving history. */
    public Optional<Integer> previousServingVersion(String modelKey) {
        String sql = "SELECT version FROM ml_model_serving_history WHERE model_key = ? AND role = 'PRODUCTION' "
                + "AND action IN ('PROMOTE', 'ROLLBACK') ORDER BY id DESC";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modelKey);
            try (ResultSet rs = ps.executeQuery()) {
                Integer current = null;
                while (rs.next()) {
                    int v = rs.getInt(1);
                    if (current == null) {
                        current = v;
                    } else if (v != current) {
                        return Optional.of(v);
                    }
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlException("reading the serving history of " + modelKey, e);
        }
    }

    /**
     * Makes a version the production version of its key, in one transaction: the previous one is archived, both
     * changes are appended to the serving history, and a publication of the version is queued in the outbox
     * ({@link #pendingPublications}) with {@code publicationReason}, the reason the streams are told.
     */
    public void makeProduction(String modelKey, int version, String action, String actor, String reason,
                               String publicationReason) {
        replaceProduction(modelKey, null, version, action, actor, reason, publicationReason);
    }

    /**
     * {@link #makeProduction}, only while {@code expectedCurrent} is the production version: false, and nothing
     * changed, when another change (a promotion by a job, an ops request) came first.
     */
    public boolean replaceProduction(String modelKey, Integer expectedCurrent, int version, String action,
                                     String actor, String reason, String publicationReason) {
        return replaceProduction(modelKey, expectedCurrent, version, action, actor, reason, publicationReason, null);
    }

    /**
     * Promotes the key's shadow ({@link #replaceProduction} with {@code expectedCurrent}), and makes the version it
     * replaces the key's shadow in the same transaction: the guard. Scored beside the new production version on the
     * same bars, it gives the rollback what the hold-out can't after a shift, a paired test on the same outcomes; the
     * promotion test brings it back if it ranks better, and retires it if it ranks worse or its probation ends.
     *
     * @param sinceMarketMs market time from which the guard's probation counts
     */
    public boolean promoteShadow(String modelKey, Integer expectedCurrent, int version, String actor, String reason,
                                 String publicationReason, long sinceMarketMs) {
        return replaceProduction(modelKey, expectedCurrent, version, "PROMOTE", actor, reason, publicationReason,
                sinceMarketMs);
    }

    private boolean replaceProduction(String modelKey, Integer expectedCurrent, int version, String action,
                                      String actor, String reason, String publicationReason,
                                      Long guardSinceMarketMs) {
        return inTransaction("promoting " + modelKey + " v" + version, c -> {
            Integer previous = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM ml_models WHERE model_key = ? "
                    + "AND status = 'PRODUCTION' AND version <> ? FOR UPDATE")) {
                ps.setString(1, modelKey);
                ps.setInt(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        previous = rs.getInt(1);
                    }
                }
            }
            if (expectedCurrent != null && !expectedCurrent.equals(previous)) {
                return false; // nothing written: another change came first
            }
            boolean wasShadow = "SHADOW".equals(statusOf(c, modelKey, version));
            try (PreparedStatement ps = c.prepareStatement("UPDATE ml_models SET status = 'ARCHIVED' "
                    + "WHERE model_key = ? AND status = 'PRODUCTION' AND version <> ?")) {
                ps.setString(1, modelKey);
                ps.setInt(2, version);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ml_models SET status = 'PRODUCTION', "
                    + "production_since_market_ms = (SELECT max(time_ms) FROM ml_performance_tracking "
                    + "WHERE model_key = ?) WHERE model_key = ? AND version = ?")) {
                ps.setString(1, modelKey);
                ps.setString(2, modelKey);
                ps.setInt(3, version);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalArgumentException(modelKey + " has no version " + version);
                }
            }
            if (previous != null) {
                appendHistory(c, modelKey, "PRODUCTION", previous, "ARCHIVE", actor, "replaced by v" + version);
            }
            appendHistory(c, modelKey, "PRODUCTION", version, action, actor, reason);
            queuePublication(c, modelKey, version, PublicationRole.PRODUCTION, publicationReason);
            if (guardSinceMarketMs != null && previous != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE ml_models SET status = 'SHADOW', "
                        + "shadow_since_market_ms = ? WHERE model_key = ? AND version = ?")) {
                    ps.setLong(1, guardSinceMarketMs);
                    ps.setString(2, modelKey);
                    ps.setInt(3, previous);
                    ps.executeUpdate();
                }
                appendHistory(c, modelKey, "SHADOW", previous, "SHADOW", actor, "guards v" + version
                        + ": scored beside it, so a paired test on the same outcomes can bring it back");
                // replaces the promoted version's shadow record on the same key: no withdrawal needed
                queuePublication(c, modelKey, previous, PublicationRole.SHADOW, "guard of v" + version);
            } else if (wasShadow) {
                // the streams score it as production from now on, and no longer as the key's shadow
                queuePublication(c, modelKey, version, PublicationRole.SHADOW_WITHDRAWN,
                        "v" + version + " is production now");
            }
            return true;
        });
    }

    /**
     * Makes a version that passed its offline gates the shadow of its key, in one transaction: a shadow it replaces
     * is RETIRED, both changes go to the serving history, and the publication is queued in the outbox.
     *
     * @param sinceMarketMs market time from which its probation counts
     */
    public void makeShadow(String modelKey, int version, String actor, String reason, String publicationReason,
                           long sinceMarketMs) {
        inTransaction("making " + modelKey + " v" + version + " the shadow", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ml_models SET status = 'RETIRED' "
                    + "WHERE model_key = ? AND status = 'SHADOW' AND version <> ? RETURNING version")) {
                ps.setString(1, modelKey);
                ps.setInt(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        appendHistory(c, modelKey, "SHADOW", rs.getInt(1), "RETIRE", actor, "replaced by v" + version);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ml_models SET status = 'SHADOW', "
                    + "shadow_since_market_ms = ? WHERE model_key = ? AND version = ? AND status = 'CANDIDATE'")) {
                ps.setLong(1, sinceMarketMs);
                ps.setString(2, modelKey);
                ps.setInt(3, version);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalArgumentException(modelKey + " has no candidate v" + version);
                }
            }
            appendHistory(c, modelKey, "SHADOW", version, "SHADOW", actor, reason);
            queuePublication(c, modelKey, version, PublicationRole.SHADOW, publicationReason);
            return null;
        });
    }

    /**
     * Ends a key's shadow without promoting it: RETIRED, in the serving history with the reason, and a withdrawal
     * queued for the streams. False, and nothing changed, when {@code version} is no longer the key's shadow.
     */
    public boolean retireShadow(String modelKey, int version, String actor, String reason) {
        return inTransaction("retiring the shadow " + modelKey + " v" + version, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ml_models SET status = 'RETIRED' "
                    + "WHERE model_key = ? AND version = ? AND status = 'SHADOW'")) {
                ps.setString(1, modelKey);
                ps.setInt(2, version);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            appendHistory(c, modelKey, "SHADOW", version, "RETIRE", actor, reason);
            queuePublication(c, modelKey, version, PublicationRole.SHADOW_WITHDRAWN, "retired: " + reason);
            return true;
        });
    }

    /** A key's shadow: its version, the job that trained it, and when (market time) its probation began. */
    public record ShadowVersion(String modelKey, int version, Long jobId, long sinceMarketMs) {
    }

    public Optional<ShadowVersion> shadowOf(String modelKey) {
        String sql = "SELECT version, job_id, coalesce(shadow_since_market_ms, 0) FROM ml_models "
                + "WHERE model_key = ? AND status = 'SHADOW'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modelKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long jobId = rs.getLong(2);
                return Optional.of(new ShadowVersion(modelKey, rs.getInt(1), rs.wasNull() ? null : jobId,
                        rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw new SqlException("reading the shadow of " + modelKey, e);
        }
    }

    /**
     * The market time of the key's latest performance report when its production version became production (the
     * reports after it are what the version did in production); none for a version promoted before this was kept,
     * or while no report had come in.
     */
    public Optional<Long> productionSinceMarketMs(String modelKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT production_since_market_ms FROM ml_models WHERE model_key = ? AND status = 'PRODUCTION'")) {
            ps.setString(1, modelKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long since = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(since);
            }
        } catch (SQLException e) {
            throw new SqlException("reading since when " + modelKey + " serves its version", e);
        }
    }

    /** The production version of a key, 0 when the rule-based fallback serves it; without loading the artifact. */
    public int productionVersion(String modelKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version FROM ml_models WHERE model_key = ? AND status = 'PRODUCTION'")) {
            ps.setString(1, modelKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new SqlException("reading the production version of " + modelKey, e);
        }
    }

    /**
     * Whether a version is in the shadow lifecycle's hands: SHADOW now (a candidate, or the guard of the version
     * that replaced it), or RETIRED by it. Its live reports judge a shadow, not what serves, and the automatic
     * rollback does not bring it back: the paired test on the same outcomes has that say.
     */
    public boolean shadowedOrRetired(String modelKey, int version) {
        try (Connection c = dataSource.getConnection()) {
            String status = statusOf(c, modelKey, version);
            return "SHADOW".equals(status) || "RETIRED".equals(status);
        } catch (SQLException e) {
            throw new SqlException("reading the status of " + modelKey + " v" + version, e);
        }
    }

    private static String statusOf(Connection c, String modelKey, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM ml_models WHERE model_key = ? AND version = ?")) {
            ps.setString(1, modelKey);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @FunctionalInterface
    private interface TransactionBody<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String what, TransactionBody<T> body) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = body.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SqlException(what, e);
        }
    }

    private static void queuePublication(Connection c, String modelKey, int version, PublicationRole role,
                                         String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ml_model_publications "
                + "(model_key, version, role, reason) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, modelKey);
            ps.setInt(2, version);
            ps.setString(3, role.name());
            ps.setString(4, reason);
            ps.executeUpdate();
        }
    }

    /** The action (PROMOTE or ROLLBACK) of the latest change that made a version production, if any. */
    public Optional<String> latestServingAction(String modelKey) {
        String sql = "SELECT action FROM ml_model_serving_history WHERE model_key = ? AND role = 'PRODUCTION' "
                + "AND action IN ('PROMOTE', 'ROLLBACK') ORDER BY id DESC LIMIT 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modelKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlException("reading the serving history of " + modelKey, e);
        }
    }

    /** What a publication tells the streams about its version. */
    public enum PublicationRole {
        /** serve it as the key's production version */
        PRODUCTION,
        /** score it as the key's shadow */
        SHADOW,
        /** stop scoring it as the key's shadow */
        SHADOW_WITHDRAWN
    }

    /** A change to what serves that the registry has committed and the streams may not have received yet. */
    public record PendingPublication(long id, String modelKey, int version, PublicationRole role, String reason) {
    }

    /** The outbox's unpublished rows, oldest first. */
    public List<PendingPublication> pendingPublications() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, model_key, version, role, reason FROM "
                     + "ml_model_publications WHERE published_at IS NULL ORDER BY id")) {
            List<PendingPublication> pending = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(new PendingPublication(rs.getLong(1), rs.getString(2), rs.getInt(3),
                            PublicationRole.valueOf(rs.getString(4)), rs.getString(5)));
                }
            }
            return pending;
        } catch (SQLException e) {
            throw new SqlException("reading the pending model publications", e);
        }
    }

    /** Marks an outbox row published (again a no-op). */
    public void markPublished(long publicationId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE ml_model_publications SET published_at = now() "
                     + "WHERE id = ? AND published_at IS NULL")) {
            ps.setLong(1, publicationId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlException("marking model publication " + publicationId + " published", e);
        }
    }

    private static void appendHistory(Connection c, String modelKey, String role, int version, String action,
                                      String actor, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ml_model_serving_history "
                + "(model_key, role, version, action, actor, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, modelKey);
            ps.setString(2, role);
            ps.setInt(3, version);
            ps.setString(4, action);
            ps.setString(5, actor);
            ps.setString(6, reason);
            ps.executeUpdate();
        }
    }

    /**
     * One champion-versus-candidate decision: OFFLINE, a job's gate on its hold-out (PROMOTE or REJECT); LIVE, the
     * promotion test of a shadow on paired live outcomes (PROMOTE or RETIRE; the "hold-out" is those outcomes).
     */
    public record Evaluation(Long jobId, String modelKey, int candidateVersion, int championVersion,
                             long holdoutFromMs, long holdoutToMs, int holdoutN, Map<String, Double> candidate,
                             Map<String, Double> champion, String decision, String reasons, String stage) {
        public static final String OFFLINE = "OFFLINE";
        public static final String LIVE = "LIVE";
    }

    public void recordEvaluation(Evaluation e) {
        String sql = "INSERT INTO ml_eval_history (job_id, model_key, candidate_version, champion_version, "
                + "holdout_from_ms, holdout_to_ms, holdout_n, candidate_metrics, champion_metrics, decision, reasons, "
                + "stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (e.jobId() == null) {
                ps.setNull(1, java.sql.Types.BIGINT);
            } else {
                ps.setLong(1, e.jobId());
            }
            ps.setString(2, e.modelKey());
            ps.setInt(3, e.candidateVersion());
            ps.setInt(4, e.championVersion());
            ps.setLong(5, e.holdoutFromMs());
            ps.setLong(6, e.holdoutToMs());
            ps.setInt(7, e.holdoutN());
            ps.setString(8, json(e.candidate()));
            ps.setString(9, json(e.champion()));
            ps.setString(10, e.decision());
            ps.setString(11, e.reasons());
            ps.setString(12, e.stage());
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new SqlException("recording the evaluation of job " + e.jobId(), ex);
        }
    }

    /** Every model of every key, oldest first. */
    public List<StoredModel> all() {
        List<StoredModel> models = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + MODEL_COLUMNS + " FROM ml_models ORDER BY model_key, version");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                models.add(read(rs));
            }
            return models;
        } catch (SQLException e) {
            throw new SqlException("listing models", e);
        }
    }

    private Optional<StoredModel> queryOne(String sql, String modelKey, Integer version) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modelKey);
            if (version != null) {
                ps.setInt(2, version);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new SqlException("reading models of " + modelKey, e);
        }
    }

    private static StoredModel read(ResultSet rs) throws SQLException {
        try {
            java.sql.Array names = rs.getArray(16);
            return new StoredModel(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), names == null ? List.of() : List.of((String[]) names.getArray()),
                    rs.getBytes(8),
                    JSON.readValue(rs.getString(9), new TypeReference<Map<String, Double>>() { }),
                    JSON.readValue(rs.getString(10), new TypeReference<List<Map<String, Object>>>() { }),
                    rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getString(14), rs.getLong(15),
                    rs.getString(17));
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt JSON in ml_models row " + rs.getLong(1), e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
