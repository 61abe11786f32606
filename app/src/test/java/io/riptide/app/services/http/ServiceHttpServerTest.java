package io.riptide.app.services.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceHttpServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(ServiceHttpServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIs503WhileACheckIsDownAndNamesItAndMetricsAreThePrometheusText() throws Exception {
        AtomicBoolean database = new AtomicBoolean(false);
        PrometheusMeterRegistry metrics = ServiceMetrics.prometheus();
        try (ServiceHttpServer server = ServiceHttpServer.builder("test").bind("127.0.0.1", 0).metrics(metrics)
                .live(HealthCheck.of("loop", () -> HealthCheck.Result.up("alive")))
                .ready(HealthCheck.of("loop", () -> HealthCheck.Result.up("alive")))
                .ready(HealthCheck.of("postgresql", () -> database.get() ? HealthCheck.Result.up("SELECT 1 answered")
                        : HealthCheck.Result.down("connection refused")))
                .ready(HealthCheck.of("throws", () -> {
                    if (!database.get()) {
                        throw new IllegalStateException("boom");
                    }
                    return HealthCheck.Result.up("fine");
                })).start()) {
            HttpResponse<String> ready = get(server, "/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("\"postgresql\":{\"detail\":\"connection refused\",\"status\":\"DOWN\"}")
                    || ready.body().contains("\"postgresql\":{\"status\":\"DOWN\",\"detail\":\"connection refused\"}"),
                    ready.body());
            assertTrue(ready.body().contains("IllegalStateException: boom"), ready.body());
            assertEquals(200, get(server, "/health/live").statusCode());
            database.set(true);
            assertEquals(200, get(server, "/health/ready").statusCode());

            assertEquals(404, get(server, "/no/such/page").statusCode());
            HttpResponse<String> scrape = get(server, "/metrics");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(scrape.body().contains("jvm_memory_used_bytes"), "JVM binders");
            assertTrue(scrape.body().contains("riptide_http_requests_seconds_count{method=\"GET\",route=\"/health/ready\","
                    + "status=\"503\"} 1"), scrape.body());
            assertTrue(scrape.body().contains("route=\"NOT_FOUND\""), "unmatched requests are counted apart");
        }
    }
}
