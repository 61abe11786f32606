package io.riptide.app.services;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in the Prometheus text format: every numeric Kafka client metric of the service (Kafka
 * Streams' own metrics included) as {@code riptide_kafka_<group>_<name>{labels}}, plus the service's own gauges.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    public static MetricsEndpoint start(int port, Supplier<Map<MetricName, ? extends Metric>> kafkaMetrics,
                                        Map<String, Supplier<Number>> gauges) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = render(kafkaMetrics.get(), gauges).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new MetricsEndpoint(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    static String render(Map<MetricName, ? extends Metric> kafka, Map<String, Supplier<Number>> gauges) {
        Map<String, StringBuilder> families = new TreeMap<>();
        kafka.forEach((name, metric) -> {
            if (!(metric.metricValue() instanceof Number value) || !Double.isFinite(value.doubleValue())) {
                return;
            }
            String family = sanitize("riptide_kafka_" + name.group() + "_" + name.name());
            StringBuilder labels = new StringBuilder();
            new TreeMap<>(name.tags()).forEach((k, v) -> labels.append(labels.length() == 0 ? "" : ",")
                    .append(sanitize(k)).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"'));
            families.computeIfAbsent(family, f -> new StringBuilder("# TYPE " + f + " gauge\n"))
                    .append(family).append('{').append(labels).append("} ").append(value.doubleValue()).append('\n');
        });
        gauges.forEach((name, supplier) -> {
            String family = sanitize(name);
            families.put(family, new StringBuilder("# TYPE " + family + " gauge\n" + family + " "
                    + supplier.get().doubleValue() + "\n"));
        });
        StringBuilder out = new StringBuilder();
        families.values().forEach(out::append);
        return out.toString();
    }

    private static String sanitize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
