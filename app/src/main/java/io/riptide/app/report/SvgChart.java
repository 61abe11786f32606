package io.riptide.app.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small self-contained line chart in inline SVG (no scripts, no network): named series of (x, y) points, optional
 * vertical markers (e.g. market shifts) and horizontal guides, axes with their ranges, a legend. NaN points break
 * a line.
 */
public final class SvgChart {
    public static final String[] COLORS = {"#2f80ed", "#eb5757", "#27ae60", "#f2994a", "#9b51e0", "#56ccf2",
            "#9aa5b1", "#219653", "#f2c94c", "#bb6bd9"};
    private static final int W = 760;
    private static final int H = 220;
    private static final int PAD = 44;

    private final String xLabel;
    private final String yLabel;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private final List<double[]> markers = new ArrayList<>();
    private final List<String> markerLabels = new ArrayList<>();
    private final List<Double> guides = new ArrayList<>();
    private Double minY;
    private Double maxY;
    private boolean steps;

    public SvgChart(String xLabel, String yLabel) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgChart series(String name, List<double[]> points) {
        series.put(name, points);
        return this;
    }

    /** A vertical line at {@code x} with a short label. */
    public SvgChart marker(double x, String label) {
        markers.add(new double[]{x});
        markerLabels.add(label);
        return this;
    }

    public SvgChart guide(double y) {
        guides.add(y);
        return this;
    }

    public SvgChart yRange(double min, double max) {
        this.minY = min;
        this.maxY = max;
        return this;
    }

    /** Draws each series as a step function (a value holds until the next point). */
    public SvgChart steps() {
        this.steps = true;
        return this;
    }

    public String render() {
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                if (Double.isFinite(p[1])) {
                    x0 = Math.min(x0, p[0]);
                    x1 = Math.max(x1, p[0]);
                    y0 = Math.min(y0, p[1]);
                    y1 = Math.max(y1, p[1]);
                }
            }
        }
        for (double[] m : markers) {
            x0 = Math.min(x0, m[0]);
            x1 = Math.max(x1, m[0]);
        }
        if (x0 > x1) {
            return "<p>No data in this run.</p>";
        }
        if (minY != null) {
            y0 = minY;
            y1 = maxY;
        }
        if (y1 <= y0) {
            y1 = y0 + 1;
        }
        double spanX = Math.max(1e-9, x1 - x0);
        double fx0 = x0;
        double fy0 = y0;
        double spanY = y1 - y0;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">", W, H));
        java.util.function.DoubleUnaryOperator sx = x -> PAD + (W - 2.0 * PAD) * (x - fx0) / spanX;
        java.util.function.DoubleUnaryOperator sy = y -> H - PAD - (H - 2.0 * PAD) * (y - fy0) / spanY;
        for (double g : guides) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#bbb\" "
                    + "stroke-dasharray=\"4\"/>", PAD, sy.applyAsDouble(g), W - PAD, sy.applyAsDouble(g)));
        }
        for (int i = 0; i < markers.size(); i++) {
            double x = sx.applyAsDouble(markers.get(i)[0]);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" "
                    + "stroke-dasharray=\"2,3\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#555\">%s</text>",
                    x, PAD, x, H - PAD, x + 3, PAD + 10, escape(markerLabels.get(i))));
        }
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            String color = COLORS[c++ % COLORS.length];
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            double lastY = Double.NaN;
            for (double[] p : e.getValue()) {
                if (!Double.isFinite(p[1])) {
                    pen = false;
                    continue;
                }
                double x = sx.applyAsDouble(p[0]);
                double y = sy.applyAsDouble(p[1]);
                if (steps && pen) {
                    path.append(String.format(Locale.ROOT, "L%.1f,%.1f ", x, lastY));
                }
                path.append(pen ? "L" : "M").append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                pen = true;
                lastY = y;
            }
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                    .append(color).append("\"/>");
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#222\"/>",
                PAD, H - PAD, W - PAD, H - PAD));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#222\"/>",
                PAD, PAD, PAD, H - PAD));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", W / 2 - 40, H - 8,
                escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>", PAD - 10,
                escape(yLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"10\">%s</text>", PAD + 4, fmt(y1)));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"10\">%s</text>", H - PAD, fmt(y0)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>", PAD, H - PAD + 14,
                fmt(x0)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>", W - PAD - 20,
                H - PAD + 14, fmt(x1)));
        svg.append("</svg>");
        return svg + legend();
    }

    private String legend() {
        StringBuilder html = new StringBuilder("<div class=\"legend\">");
        int i = 0;
        for (String name : series.keySet()) {
            html.append("<span><svg width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"")
                    .append(COLORS[i++ % COLORS.length]).append("\"/></svg> ").append(escape(name)).append("</span>");
        }
        return html.append("</div>").toString();
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 10 || v == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
