package io.riptide.app.backtest;

import io.riptide.app.report.SvgChart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * report.html of a backtest: live AUC and log-loss over market time per arm, shifts, detector firings and swaps on
 * the same axis, and the version serving each key over time. Self-contained (inline SVG, no scripts).
 */
final class BacktestReport {
    private BacktestReport() {
    }

    static void write(Path file, BacktestResult r) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Riptide backtest</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:820px}")
                .append("h2{margin-top:32px;font-size:18px}h3{font-size:15px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px;text-align:right}")
                .append("th{background:#f5f5f5}.legend span{display:inline-block;margin-right:12px;font-size:12px}")
                .append("</style></head><body><h1>Riptide backtest</h1>");
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) r.json().get("input");
        html.append("<p>").append(SvgChart.escape(String.valueOf(input.get("description")))).append(", ")
                .append(input.get("from")).append(" to ").append(input.get("to")).append(".</p>");
        headline(html, r.headline());
        for (String key : keys(r)) {
            html.append("<h2>").append(SvgChart.escape(key)).append("</h2>");
            html.append("<h3>Live AUC (outcomes predicted in the last 2 market hours)</h3>");
            html.append(chart(r, key, 1, "AUC").guide(0.5).yRange(0.3, 1.0).render());
            html.append("<h3>Live log-loss</h3>");
            html.append(chart(r, key, 2, "log-loss").render());
            html.append("<h3>Version serving (retrain arm), shifts, and CRITICAL drift firings by detector</h3>");
            html.append(versions(r, key).render());
            html.append(firings(r, key));
        }
        html.append("</body></html>");
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static List<String> keys(BacktestResult r) {
        for (Map<String, List<double[]>> byKey : r.series().values()) {
            return new ArrayList<>(byKey.keySet());
        }
        return List.of();
    }

    private static double hours(BacktestResult r, double timeMs) {
        return (timeMs - r.startMs()) / 3_600_000.0;
    }

    private static SvgChart chart(BacktestResult r, String key, int column, String label) {
        SvgChart chart = new SvgChart("market hours", label);
        r.series().forEach((arm, byKey) -> {
            List<double[]> points = new ArrayList<>();
            for (double[] row : byKey.getOrDefault(key, List.of())) {
                points.add(new double[]{hours(r, row[0]), row[column]});
            }
            chart.series(arm, points);
        });
        shifts(r, chart);
        return chart;
    }

    private static void shifts(BacktestResult r, SvgChart chart) {
        for (int i = 0; i < r.shiftsMs().size(); i++) {
            chart.marker(hours(r, r.shiftsMs().get(i)), "shift " + (i + 1));
        }
    }

    private static SvgChart versions(BacktestResult r, String key) {
        SvgChart chart = new SvgChart("market hours", "version").steps();
        List<double[]> points = new ArrayList<>();
        points.add(new double[]{0, 0});
        for (ArmRuntime.Swap s : r.swaps().getOrDefault(Arm.RETRAIN.label(), List.of())) {
            if (s.key().equals(key)) {
                points.add(new double[]{hours(r, s.marketTimeMs()), s.toVersion()});
            }
        }
        points.add(new double[]{hours(r, r.endMs()), points.get(points.size() - 1)[1]});
        chart.series("retrain arm: serving version (0 = rule-based fallback)", points);
        shifts(r, chart);
        return chart;
    }

    /** Per detector, the market hours of its CRITICAL firings on this key in the retrain arm. */
    private static String firings(BacktestResult r, String key) {
        List<BacktestAnalysis.Alarm> alarms = r.alarms().getOrDefault(Arm.RETRAIN.label(), List.of());
        Map<String, TreeSet<Double>> byDetector = new TreeMap<>();
        for (BacktestAnalysis.Alarm a : alarms) {
            if (a.modelKey().startsWith(key) && a.severity().equals("CRITICAL")) {
                byDetector.computeIfAbsent(a.detector(), d -> new TreeSet<>()).add(
                        Math.round(hours(r, a.timeMs()) * 100) / 100.0);
            }
        }
        if (byDetector.isEmpty()) {
            return "<p>No CRITICAL drift firing on this key.</p>";
        }
        SvgChart chart = new SvgChart("market hours", "detector");
        int row = 1;
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Map.Entry<String, TreeSet<Double>> e : byDetector.entrySet()) {
            List<double[]> points = new ArrayList<>();
            for (double h : e.getValue()) {
                points.add(new double[]{h, row - 0.3});
                points.add(new double[]{h, row + 0.3});
                points.add(new double[]{h, Double.NaN});
            }
            chart.series(e.getKey() + " (" + e.getValue().size() + " firings)", points);
            rows.put(e.getKey(), row++);
        }
        chart.yRange(0, row);
        shifts(r, chart);
        return chart.render();
    }

    private static void headline(StringBuilder html, Map<String, Object> headline) {
        html.append("<h2>Headline</h2><table>");
        headline.forEach((k, v) -> html.append("<tr><th style=\"text-align:left\">").append(SvgChart.escape(k))
                .append("</th><td>").append(v == null ? "n/a" : v instanceof Double d
                        ? String.format(Locale.ROOT, "%.3f", d) : v).append("</td></tr>"));
        html.append("</table>");
    }
}
