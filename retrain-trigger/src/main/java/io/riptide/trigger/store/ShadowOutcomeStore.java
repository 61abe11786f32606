package io.riptide.trigger.store;

import io.riptide.schemas.avro.Outcome;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The live outcomes a shadow was scored on, each with production's probability for the same bar
 * (ml_shadow_outcomes): the data of the promotion test. Stored idempotently by what they pair, so a redelivered
 * outcome counts once. The stream emits an outcome only once its label is final (its horizon has passed), so every
 * stored pair is final.
 */
public final class ShadowOutcomeStore {
    private final DataSource dataSource;

    public ShadowOutcomeStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores the outcomes that carry a shadow's probability; the rest are not the promotion test's business.
     *
     * @return the model keys whose shadows got new outcomes
     */
    public Set<String> record(List<Outcome> outcomes) {
        Set<String> keys = new LinkedHashSet<>();
        String sql = "INSERT INTO ml_shadow_outcomes (model_key, shadow_version, prediction_id, production_version, "
                + "prediction_time_ms, resolved_at_ms, label, production_p, shadow_p) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int batched = 0;
            for (Outcome o : outcomes) {
                if (o.getShadowModelVersion() == null || o.getShadowProbability() == null) {
                    continue;
                }
                ps.setString(1, o.getModelKey());
                ps.setInt(2, o.getShadowModelVersion());
                ps.setString(3, o.getPredictionId());
                ps.setInt(4, o.getModelVersion());
                ps.setLong(5, o.getPredictionTimeMs());
                ps.setLong(6, o.getResolvedAtMs());
                ps.setInt(7, o.getLabel());
                // the production model's own probability, the one the shadow would replace (not the online blend)
                ps.setDouble(8, o.getModelProbability() != null ? o.getModelProbability() : o.getProbability());
                ps.setDouble(9, o.getShadowProbability());
                ps.addBatch();
                batched++;
                keys.add(o.getModelKey());
            }
            if (batched > 0) {
                ps.executeBatch();
            }
            return keys;
        } catch (SQLException e) {
            throw new SqlException("recording " + outcomes.size() + " shadow outcomes", e);
        }
    }

    /** A shadow's outcomes against one production version, in prediction-time order. */
    public record Paired(double[] shadow, double[] production, int[] labels, long firstMs, long lastMs) {
        public int size() {
            return labels.length;
        }
    }

    /**
     * The outcomes both {@code shadowVersion} and {@code productionVersion} scored: pairs with another production
     * version (one ops promoted or rolled back to during the probation) compare the shadow with a model that no
     * longer serves, and are left out.
     */
    public Paired paired(String modelKey, int shadowVersion, int productionVersion) {
        String sql = "SELECT shadow_p, production_p, label, prediction_time_ms FROM ml_shadow_outcomes "
                + "WHERE model_key = ? AND shadow_version = ? AND production_version = ? ORDER BY prediction_time_ms, "
                + "prediction_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modelKey);
            ps.setInt(2, shadowVersion);
            ps.setInt(3, productionVersion);
            ps.setFetchSize(10_000);
            List<double[]> rows = new ArrayList<>();
            long first = Long.MIN_VALUE;
            long last = Long.MIN_VALUE;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new double[]{rs.getDouble(1), rs.getDouble(2), rs.getInt(3)});
                    last = rs.getLong(4);
                    first = first == Long.MIN_VALUE ? last : first;
                }
            }
            double[] shadow = new double[rows.size()];
            double[] production = new double[rows.size()];
            int[] labels = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                shadow[i] = rows.get(i)[0];
                production[i] = rows.get(i)[1];
                labels[i] = (int) rows.get(i)[2];
            }
            return new Paired(shadow, production, labels, first, last);
        } catch (SQLException e) {
            throw new SqlException("reading the outcomes of shadow " + modelKey + " v" + shadowVersion, e);
        }
    }
}
