package io.riptide.app.services;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsEndpointTest {

    @Test
    void servesKafkaMetricsAndGaugesInThePrometheusTextFormat() throws Exception {
        try (Metrics metrics = new Metrics()) {
            MetricName name = metrics.metricName("process-total", "stream-thread-metrics",
                    Map.of("thread-id", "t-1"));
            metrics.addMetric(name, new CumulativeSum());
            KafkaMetric metric = metrics.metric(name);
            try (MetricsEndpoint endpoint = MetricsEndpoint.start(0, metrics::metrics,
                    Map.of("riptide_model_installs_total", () -> 3))) {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                String body = response.body();
                assertTrue(body.contains("# TYPE riptide_kafka_stream_thread_metrics_process_total gauge"), body);
                assertTrue(body.contains("riptide_kafka_stream_thread_metrics_process_total{thread_id=\"t-1\"} 0.0"),
                        body);
                assertTrue(body.contains("riptide_model_installs_total 3.0"), body);
            }
            assertEquals(0.0, (Double) metric.metricValue());
        }
    }
}
