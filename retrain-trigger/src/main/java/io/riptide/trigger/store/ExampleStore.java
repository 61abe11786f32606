package io.riptide.trigger.store;

import io.riptide.schemas.avro.LabeledExample;
import io.riptide.serving.ModelKey;
import org.postgresql.PGStatement;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Training examples in PostgreSQL. Inserts are idempotent on the example id, so replays never duplicate rows. */
public final class ExampleStore {
    private final DataSource dataSource;

    public ExampleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores a batch in one transaction; returns how many were new. */
    public int insert(List<LabeledExample> examples) {
        if (examples.isEmpty()) {
            return 0;
        }
        String sql = "INSERT INTO training_examples (example_id, instrument, time_ms, task, horizon_minutes, "
                + "feature_set_id, feature_set_hash, features, label, realized_value, regime) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (example_id) DO NOTHING";
        String featureSetSql = "INSERT INTO feature_sets (feature_set_hash, feature_set_id, feature_names) "
                + "VALUES (?, ?, ?) ON CONFLICT (feature_set_hash) DO NOTHING";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int inserted = 0;
            try (PreparedStatement ps = c.prepareStatement(sql);
                 PreparedStatement fs = c.prepareStatement(featureSetSql)) {
                LabeledExample first = examples.get(0);
                fs.setString(1, first.getFeatureSetHash());
                fs.setString(2, first.getFeatureSetId());
                fs.setArray(3, c.createArrayOf("text", first.getFeatureNames().toArray()));
                fs.executeUpdate();
                for (LabeledExample e : examples) {
                    ps.setString(1, e.getExampleId());
                    ps.setString(2, e.getInstrument());
                    ps.setLong(3, e.getTimeMs());
                    ps.setString(4, e.getTask());
                    ps.setInt(5, e.getHorizonMinutes());
                    ps.setString(6, e.getFeatureSetId());
                    ps.setString(7, e.getFeatureSetHash());
                    ps.setArray(8, c.createArrayOf("float8", e.getFeatures().toArray()));
                    ps.setInt(9, e.getLabel());
                    ps.setDouble(10, e.getRealizedValue());
                    ps.setString(11, e.getRegime());
                    ps.addBatch();
                }
                for (int count : ps.executeBatch()) {
                    inserted += Math.max(count, 0);
                }
                c.commit();
                return inserted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SqlException("storing " + examples.size() + " training examples", e);
        }
    }

    /**
     * Rows of one task and horizon, oldest first, at most {@code max} of the most recent. Read for speed (a job may
     * load a million rows of 84 features): the features in their binary form ({@link Float8Arrays}), in the order of
     * the {@code training_examples_recent} index so the database does not sort them, streamed in batches of
     * {@value #FETCH_ROWS} rows (docs/PERFORMANCE.md).
     */
    public TrainingRows load(String task, int horizonMinutes, String instrumentScope, String regimeScope, int max) {
        StringBuilder sql = new StringBuilder("SELECT time_ms, array_send(features), label, feature_set_hash "
                + "FROM training_examples WHERE task = ? AND horizon_minutes = ? AND feature_set_hash = (SELECT "
                + "feature_set_hash FROM training_examples WHERE task = ? AND horizon_minutes = ? ORDER BY time_ms "
                + "DESC LIMIT 1)");
        if (instrumentScope != null) {
            sql.append(" AND instrument = ?");
        }
        if (regimeScope != null) {
            sql.append(" AND regime = ?");
        }
        sql.append(" ORDER BY time_ms DESC, example_id DESC LIMIT ?");
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // the driver streams a result set only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setFetchSize(FETCH_ROWS);
                // binary results from the first execution: the feature bytes travel as they are, not as hex text
                ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
                int i = 1;
                ps.setString(i++, task);
                ps.setInt(i++, horizonMinutes);
                ps.setString(i++, task);
                ps.setInt(i++, horizonMinutes);
                if (instrumentScope != null) {
                    ps.setString(i++, instrumentScope);
                }
                if (regimeScope != null) {
                    ps.setString(i++, regimeScope);
                }
                ps.setInt(i, max);
                TrainingRows.NewestFirst rows = new TrainingRows.NewestFirst(Math.min(max, 1 << 16));
                String hash = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (hash == null) {
                            hash = rs.getString(4); // one hash: the query selects the newest row's
                        }
                        rows.add(rs.getLong(1), rs.getBytes(2), rs.getInt(3));
                    }
                }
                c.commit();
                return rows.oldestFirst(hash, featureNames(c, hash));
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new SqlException("loading training examples for " + task + "-" + horizonMinutes + "m", e);
        }
    }

    /** Rows per round trip while a job's examples stream in. */
    static final int FETCH_ROWS = 4_096;

    /** Times and labels of the rows {@link #load} would return, oldest first: enough to plan a job's splits. */
    public record Labels(long[] timesMs, double[] labels) {
    }

    public Labels labels(String task, int horizonMinutes, int max) {
        String sql = "SELECT time_ms, label FROM training_examples WHERE task = ? AND horizon_minutes = ? AND "
                + "feature_set_hash = (SELECT feature_set_hash FROM training_examples WHERE task = ? AND "
                + "horizon_minutes = ? ORDER BY time_ms DESC LIMIT 1) ORDER BY time_ms DESC, example_id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, task);
            ps.setInt(2, horizonMinutes);
            ps.setString(3, task);
            ps.setInt(4, horizonMinutes);
            ps.setInt(5, max);
            List<long[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[]{rs.getLong(1), rs.getInt(2)});
                }
            }
            Collections.reverse(rows);
            long[] times = new long[rows.size()];
            double[] labels = new double[rows.size()];
            for (int i = 0; i < times.length; i++) {
                times[i] = rows.get(i)[0];
                labels[i] = rows.get(i)[1];
            }
            return new Labels(times, labels);
        } catch (SQLException e) {
            throw new SqlException("reading labels of " + task + "-" + horizonMinutes + "m", e);
        }
    }

    private static List<String> featureNames(Connection c, String hash) throws SQLException {
        if (hash == null) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT feature_names FROM feature_sets WHERE feature_set_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                return List.of((String[]) rs.getArray(1).getArray());
            }
        }
    }


    /**
     * Stored examples and positives of a key (its task and horizon, and its instrument or regime when scoped): enough
     * to decide whether a job can run.
     */
    public long[] countAndPositives(ModelKey key) {
        String sql = "SELECT count(*), coalesce(sum(label), 0) FROM training_examples WHERE task = ? AND horizon_minutes = ?"
                + (key.instrumentScope() != null ? " AND instrument = ?" : "")
                + (key.regimeScope() != null ? " AND regime = ?" : "");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key.task());
            ps.setInt(2, key.horizonMinutes());
            if (key.isScoped()) {
                ps.setString(3, key.instrumentScope() != null ? key.instrumentScope() : key.regimeScope());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        } catch (SQLException e) {
            throw new SqlException("counting examples of " + key, e);
        }
    }

    public long count() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps =
                c.prepareStatement("SELECT count(*) FROM training_examples"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new SqlException("counting training examples", e);
        }
    }
}
