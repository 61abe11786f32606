package io.riptide.app.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * report.html: what people would rather look at than JSON. Self-contained (inline SVG, no scripts, no network):
 * predictions by serving version over market time, hold-out AUC per model version, score drift and live AUC,
 * and how pattern signals ended.
 */
final class HtmlReport {
    private static final String[] COLORS = {"#9aa5b1", "#2f80ed", "#27ae60", "#f2994a", "#eb5757", "#9b51e0",
            "#56ccf2", "#219653", "#f2c94c", "#bb6bd9"};
    private static final int W = 760;
    private static final int H = 220;
    private static final int PAD = 40;
    private static final long BUCKET_MS = 15 * 60_000L;

    private HtmlReport() {
    }

    static void write(Path file, DemoSummary summary, OutputWatcher watcher) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Riptide demo report</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:820px}")
                .append("h2{margin-top:32px;font-size:18px}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px;text-align:right}")
                .append("th{background:#f5f5f5}.legend span{display:inline-block;margin-right:12px;font-size:12px}")
                .append("</style></head><body><h1>Riptide demo report</h1>");
        runTable(html, summary);
        mapTable(html, summary, "serving", "Serving: micro-batches and the online learners");
        predictionsByVersion(html, watcher);
        modelAuc(html, summary);
        series(html, "Score drift (PSI of the model score vs its training reference)", "PSI",
                driftSeries(watcher), List.of(0.1, 0.25));
        series(html, "Live AUC on resolved outcomes (window of recent outcomes)", "AUC",
                performanceSeries(watcher), List.of(0.5));
        series(html, "Pattern signals: success rate so far per pattern (profit barrier first; 1/3 is a random walk's)",
                "success rate", patternSeries(watcher), List.of(1.0 / 3));
        patternTable(html, watcher);
        mapTable(html, summary, "driftEventsBySubject", "Drift events (WARNING and CRITICAL) by subject, most frequent");
        swaps(html, summary);
        html.append("</body></html>");
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static void runTable(StringBuilder html, DemoSummary summary) {
        html.append("<table>");
        summary.run().forEach((key, value) -> {
            if (!(value instanceof Map)) {
                html.append("<tr><th style=\"text-align:left\">").append(escape(key)).append("</th><td style=\"")
                        .append("text-align:left\">").append(escape(String.valueOf(value))).append("</td></tr>");
            }
        });
        html.append("</table><h2>Dead letters by reason</h2><table><tr><th>stage: reason</th><th>count</th></tr>");
        Object reasons = summary.run().get("deadLetterReasons");
        if (reasons instanceof Map<?, ?> map) {
            map.forEach((reason, count) -> html.append("<tr><td style=\"text-align:left\">")
                    .append(escape(String.valueOf(reason))).append("</td><td>").append(count).append("</td></tr>"));
        }
        html.append("</table>");
    }

    /** A table of one of the run's maps (serving counters, drift events by subject), when the summary has it. */
    private static void mapTable(StringBuilder html, DemoSummary summary, String key, String title) {
        if (!(summary.run().get(key) instanceof Map<?, ?> map)) {
            return;
        }
        html.append("<h2>").append(escape(title)).append("</h2><table>");
        map.forEach((name, value) -> html.append("<tr><th style=\"text-align:left\">")
                .append(escape(String.valueOf(name))).append("</th><td>")
                .append(value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : value)
                .append("</td></tr>"));
        html.append("</table>");
    }

    private static void predictionsByVersion(StringBuilder html, OutputWatcher watcher) {
        Map<String, TreeMap<Long, Map<String, Integer>>> byKey = new TreeMap<>();
        synchronized (watcher.predictionPoints) {
            for (OutputWatcher.PredictionPoint p : watcher.predictionPoints) {
                int at = p.servedBy().lastIndexOf('@');
                String key = p.servedBy().substring(0, at);
                String version = p.servedBy().substring(at + 1);
                byKey.computeIfAbsent(key, k -> new TreeMap<>())
                        .computeIfAbsent(p.timeMs() / BUCKET_MS * BUCKET_MS, b -> new TreeMap<>())
                        .merge(version, 1, Integer::sum);
            }
        }
        html.append("<h2>Predictions by serving version, per 15 market minutes</h2>");
        for (var entry : byKey.entrySet()) {
            TreeSet<String> versions = new TreeSet<>((a, b) -> rank(a) - rank(b));
            entry.getValue().values().forEach(m -> versions.addAll(m.keySet()));
            List<String> order = new ArrayList<>(versions);
            int max = entry.getValue().values().stream()
                    .mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).max().orElse(1);
            long first = entry.getValue().firstKey();
            long last = entry.getValue().lastKey();
            int buckets = (int) ((last - first) / BUCKET_MS) + 1;
            double bw = (W - 2.0 * PAD) / buckets;
            StringBuilder svg = svgStart();
            for (var bucket : entry.getValue().entrySet()) {
                double x = PAD + (bucket.getKey() - first) / (double) BUCKET_MS * bw;
                double y = H - PAD;
                for (String v : order) {
                    int n = bucket.getValue().getOrDefault(v, 0);
                    double h = (H - 2.0 * PAD) * n / max;
                    y -= h;
                    svg.append(rect(x, y, Math.max(1, bw - 1), h, COLORS[order.indexOf(v) % COLORS.length]));
                }
            }
            axes(svg, "market time", "predictions", 0, max);
            html.append("<h3>").append(escape(entry.getKey())).append("</h3>").append(svg).append("</svg>");
            legend(html, order);
        }
    }

    private static int rank(String version) {
        return version.equals("fallback") ? 0 : Integer.parseInt(version);
    }

    private static void modelAuc(StringBuilder html, DemoSummary summary) {
        html.append("<h2>Models: hold-out AUC per version (candidate vs the time-ordered hold-out)</h2><table>")
                .append("<tr><th>key</th><th>version</th><th>status</th><th>examples</th><th>hold-out AUC</th>")
                .append("<th></th><th>calibration</th><th>hold-out ECE</th><th>ECE uncalibrated</th></tr>");
        for (Map<String, Object> m : summary.models()) {
            double auc = (Double) m.get("auc");
            html.append("<tr><td>").append(escape(String.valueOf(m.get("key")))).append("</td><td>")
                    .append(m.get("version")).append("</td><td>").append(m.get("status")).append("</td><td>")
                    .append(m.get("trainingExamples")).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3f", auc)).append("</td><td style=\"text-align:left\">")
                    .append("<svg width=\"200\" height=\"12\">")
                    .append(rect(0, 0, Double.isFinite(auc) ? 200 * auc : 0, 12, "#2f80ed")).append(
                            "<line x1=\"100\" y1=\"0\" x2=\"100\" y2=\"12\" stroke=\"#222\"/></svg></td><td>")
                    .append(escape(String.valueOf(m.get("calibration")))).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3f", (Double) m.get("ece"))).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3f", (Double) m.get("eceUncalibrated"))).append("</td></tr>");
        }
        html.append("</table>");
    }

    private static Map<String, List<double[]>> driftSeries(OutputWatcher watcher) {
        Map<String, List<double[]>> series = new TreeMap<>();
        synchronized (watcher.driftPoints) {
            for (OutputWatcher.DriftPoint d : watcher.driftPoints) {
                if (d.subject().equals("score")) {
                    series.computeIfAbsent(d.modelKey() + "@" + d.version(), k -> new ArrayList<>())
                            .add(new double[]{d.timeMs(), d.psi()});
                }
            }
        }
        return series;
    }

    private static Map<String, List<double[]>> performanceSeries(OutputWatcher watcher) {
        Map<String, List<double[]>> series = new TreeMap<>();
        synchronized (watcher.performancePoints) {
            for (OutputWatcher.PerformancePoint p : watcher.performancePoints) {
                series.computeIfAbsent(p.modelKey() + "@" + (p.version() == 0 ? "fallback" : p.version()),
                        k -> new ArrayList<>()).add(new double[]{p.timeMs(), p.auc()});
            }
        }
        return series;
    }

    /** Per pattern, the success rate of the signals ended so far, at each outcome's resolution time. */
    private static Map<String, List<double[]>> patternSeries(OutputWatcher watcher) {
        Map<String, List<double[]>> series = new TreeMap<>();
        Map<String, int[]> tally = new TreeMap<>();
        List<OutputWatcher.PatternPoint> points;
        synchronized (watcher.patternPoints) {
            points = new ArrayList<>(watcher.patternPoints);
        }
        points.sort(Comparator.comparingLong(OutputWatcher.PatternPoint::resolvedAtMs));
        for (OutputWatcher.PatternPoint p : points) {
            int[] t = tally.computeIfAbsent(p.pattern(), k -> new int[2]);
            t[0] += p.label();
            t[1]++;
            series.computeIfAbsent(p.pattern(), k -> new ArrayList<>())
                    .add(new double[]{p.resolvedAtMs(), (double) t[0] / t[1]});
        }
        return series;
    }

    private static void patternTable(StringBuilder html, OutputWatcher watcher) {
        Map<String, double[]> byPattern = new TreeMap<>(); // ended, successes, sum of returns, scored by a model
        synchronized (watcher.patternPoints) {
            for (OutputWatcher.PatternPoint p : watcher.patternPoints) {
                double[] t = byPattern.computeIfAbsent(p.pattern(), k -> new double[4]);
                t[0]++;
                t[1] += p.label();
                t[2] += p.realizedReturn();
                t[3] += p.modelVersion() > 0 ? 1 : 0;
            }
        }
        html.append("<table><tr><th>pattern</th><th>ended</th><th>success rate</th><th>mean return (before fees)")
                .append("</th><th>scored by a model</th></tr>");
        byPattern.forEach((pattern, t) -> html.append("<tr><td style=\"text-align:left\">").append(escape(pattern))
                .append("</td><td>").append((long) t[0]).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.3f", t[1] / t[0])).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.4f%%", 100 * t[2] / t[0])).append("</td><td>")
                .append((long) t[3]).append("</td></tr>"));
        html.append("</table>");
    }

    private static void series(StringBuilder html, String title, String yLabel, Map<String, List<double[]>> series,
                               List<Double> guides) {
        html.append("<h2>").append(escape(title)).append("</h2>");
        if (series.isEmpty()) {
            html.append("<p>No events in this run.</p>");
            return;
        }
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = 0;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        for (double g : guides) {
            maxY = Math.max(maxY, g * 1.2);
        }
        double spanX = Math.max(1, maxX - minX);
        StringBuilder svg = svgStart();
        for (double g : guides) {
            double y = H - PAD - (H - 2.0 * PAD) * g / maxY;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#bbb\" stroke-dasharray=\"4\"/>", PAD, y, W - PAD, y));
        }
        List<String> names = new ArrayList<>(series.keySet());
        for (String name : names) {
            StringBuilder path = new StringBuilder();
            for (double[] p : series.get(name)) {
                double x = PAD + (W - 2.0 * PAD) * (p[0] - minX) / spanX;
                double y = H - PAD - (H - 2.0 * PAD) * p[1] / maxY;
                path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x, y,
                        COLORS[names.indexOf(name) % COLORS.length]));
            }
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"")
                    .append(COLORS[names.indexOf(name) % COLORS.length]).append("\"/>");
        }
        axes(svg, "market time", yLabel, 0, maxY);
        html.append(svg).append("</svg>");
        legend(html, names);
    }

    private static void swaps(StringBuilder html, DemoSummary summary) {
        html.append("<h2>Hot swaps (first prediction with a new version, as a consumer saw it)</h2><table>")
                .append("<tr><th>key</th><th>from</th><th>to</th><th>ms after publication</th></tr>");
        for (Map<String, Object> s : summary.swaps()) {
            html.append("<tr><td>").append(escape(String.valueOf(s.get("key")))).append("</td><td>v")
                    .append(s.get("fromVersion")).append("</td><td>v").append(s.get("toVersion")).append("</td><td>")
                    .append(s.get("firstPredictionLagMs")).append("</td></tr>");
        }
        html.append("</table><h2>Jobs</h2><p>").append(escape(String.valueOf(summary.jobs()))).append("</p>");
    }

    private static StringBuilder svgStart() {
        return new StringBuilder(String.format("<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                W, H));
    }

    private static void axes(StringBuilder svg, String xLabel, String yLabel, double minY, double maxY) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#222\"/>",
                PAD, H - PAD, W - PAD, H - PAD));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#222\"/>",
                PAD, PAD, PAD, H - PAD));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                W / 2, H - 10, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>", PAD - 8,
                escape(yLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"10\">%s</text>", PAD + 4,
                fmt(maxY)));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"10\">%s</text>", H - PAD,
                fmt(minY)));
    }

    private static void legend(StringBuilder html, List<String> names) {
        html.append("<div class=\"legend\">");
        for (int i = 0; i < names.size(); i++) {
            html.append("<span><svg width=\"10\" height=\"10\">").append(rect(0, 0, 10, 10, COLORS[i % COLORS.length]))
                    .append("</svg> ").append(escape(names.get(i))).append("</span>");
        }
        html.append("</div>");
    }

    private static String rect(double x, double y, double w, double h, String color) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                x, y, w, h, color);
    }

    private static String fmt(double v) {
        return v >= 10 || v == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
