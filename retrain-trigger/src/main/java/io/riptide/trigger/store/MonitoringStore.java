package io.riptide.trigger.store;

import io.riptide.schemas.avro.DriftEvent;
import io.riptide.schemas.avro.PerformanceReport;
import io.riptide.trigger.lifecycle.RollbackRule;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Live performance reports and drift events, stored idempotently by their ids. */
public final class MonitoringStore {
    private final DataSource dataSource;

    public MonitoringStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(PerformanceReport r) {
        String sql = "INSERT INTO ml_performance_tracking (report_id, model_key, model_version, time_ms, "
                + "window_start_ms, window_end_ms, n, positives, auc, f1, precision, recall, brier, log_loss) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (report_id) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, r.getReportId());
            ps.setString(2, r.getModelKey());
            ps.setInt(3, r.getModelVersion());
            ps.setLong(4, r.getTimeMs());
            ps.setLong(5, r.getWindowStartMs());
            ps.setLong(6, r.getWindowEndMs());
            ps.setInt(7, r.getN());
            ps.setInt(8, r.getPositives());
            if (r.getAuc() == null) {
                ps.setNull(9, Types.DOUBLE);
            } else {
                ps.setDouble(9, r.getAuc());
            }
            ps.setDouble(10, orNaN(r.getF1()));
            ps.setDouble(11, orNaN(r.getPrecision()));
            ps.setDouble(12, orNaN(r.getRecall()));
            ps.setDouble(13, orNaN(r.getBrier()));
            ps.setDouble(14, orNaN(r.getLogLoss()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlException("recording performance report " + r.getReportId(), e);
        }
    }

    public void record(DriftEvent d) {
        String sql = "INSERT INTO ml_drift_events (event_id, model_key, model_version, time_ms, detector, subject, "
                + "statistic, threshold, severity, window_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (event_id) DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, d.getEventId());
            ps.setString(2, d.getModelKey());
            ps.setInt(3, d.getModelVersion());
            ps.setLong(4, d.getTimeMs());
            ps.setString(5, d.getDetector());
            ps.setString(6, d.getSubject());
            ps.setDouble(7, d.getStatistic());
            ps.setDouble(8, d.getThreshold());
            ps.setString(9, d.getSeverity().name());
            ps.setInt(10, d.getWindowSize());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SqlException("recording drift event " + d.getEventId(), e);
        }
    }

    /**
     * The live AUC of a version: the outcome-weighted mean AUC of its reports up to market time {@code upToMs}, the
     * latest first, until at least {@code outcomes} outcomes are covered (all of them for {@link Integer#MAX_VALUE}).
     * Reports without an AUC (one class only) are left out, and so are those up to {@code afterMs}: a version's
     * reports from before it served in production (as a shadow) say how it did on the way in, not in service.
     */
    public RollbackRule.Live liveAuc(String modelKey, int version, long afterMs, long upToMs, int outcomes) {
        String sql = "SELECT n, auc FROM ml_performance_tracking WHERE model_key = ? AND model_version = ? "
                + "AND time_ms > ? AND time_ms <= ? AND auc IS NOT NULL AND auc <> 'NaN' "
                + "ORDER BY time_ms DESC, report_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, modelKey);
            ps.setInt(2, version);
            ps.setLong(3, afterMs);
            ps.setLong(4, upToMs);
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                double weighted = 0;
                while (n < outcomes && rs.next()) {
                    n += rs.getInt(1);
                    weighted += rs.getInt(1) * rs.getDouble(2);
                }
                return n == 0 ? RollbackRule.Live.NONE : new RollbackRule.Live(n, weighted / n);
            }
        } catch (SQLException e) {
            throw new SqlException("reading the live AUC of " + modelKey + " v" + version, e);
        }
    }

    /** An undefined metric (no positive predictions, say) is stored as PostgreSQL's NaN, never as a made-up 0. */
    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
