package io.riptide.app.services.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riptide.schemas.service.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP server every Riptide service runs (Javalin on Jetty): {@code GET /health/live} and
 * {@code GET /health/ready} (JSON with each named check's state; 200 when all are up, else 503) and
 * {@code GET /metrics} (the service's Micrometer registry in the Prometheus text format). Extensions add routes:
 * the trigger's ops API and console ({@link OpsHttpApi}). Every request is timed in
 * {@code riptide_http_requests_seconds{method, route, status}}.
 */
public final class ServiceHttpServer implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHttpServer.class);
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;
    private final String service;
    private final String host;
    private final int requestedPort;
    private final boolean withExtensions;
    private volatile boolean started;

    private ServiceHttpServer(Javalin app, String service, String host, int port, boolean withExtensions) {
        this.app = app;
        this.service = service;
        this.host = host;
        this.requestedPort = port;
        this.withExtensions = withExtensions;
    }

    /** What a server is made of; {@link #start()} builds and starts it. */
    public static final class Builder {
        private final String service;
        private String host = "127.0.0.1";
        private int port;
        private PrometheusMeterRegistry metrics;
        private final List<HealthCheck> liveness = new ArrayList<>();
        private final List<HealthCheck> readiness = new ArrayList<>();
        private final List<Consumer<JavalinConfig>> extensions = new ArrayList<>();

        private Builder(String service) {
            this.service = service;
        }

        public Builder bind(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        public Builder metrics(PrometheusMeterRegistry registry) {
            this.metrics = registry;
            return this;
        }

        public Builder live(HealthCheck check) {
            liveness.add(check);
            return this;
        }

        public Builder ready(HealthCheck check) {
            readiness.add(check);
            return this;
        }

        public Builder ready(List<HealthCheck> checks) {
            readiness.addAll(checks);
            return this;
        }

        /** Adds routes (and any other Javalin configuration) to the server. */
        public Builder extend(Consumer<JavalinConfig> extension) {
            extensions.add(extension);
            return this;
        }

        /** Builds and starts the server. */
        public ServiceHttpServer start() {
            ServiceHttpServer server = build();
            server.start();
            return server;
        }

        /** Builds the server; {@link ServiceHttpServer#start()} listens. */
        public ServiceHttpServer build() {
            List<HealthCheck> live = List.copyOf(liveness);
            List<HealthCheck> ready = List.copyOf(readiness);
            PrometheusMeterRegistry registry = metrics;
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
                config.jetty.modifyServer(server -> server.setStopTimeout(2_000));
                config.routes.get("/health/live", ctx -> health(ctx, live));
                config.routes.get("/health/ready", ctx -> health(ctx, ready));
                if (registry != null) {
                    config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
                    config.requestLogger.http((ctx, ms) -> timer(registry, ctx).record(
                            (long) (ms * 1_000_000), TimeUnit.NANOSECONDS));
                }
                config.routes.exception(Exception.class, (e, ctx) -> {
                    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                    ctx.status(500).json(Map.of("error", "internal error: " + e.getClass().getSimpleName()));
                });
                extensions.forEach(x -> x.accept(config));
            });
            return new ServiceHttpServer(app, service, host, port, !extensions.isEmpty());
        }
    }

    public static Builder builder(String service) {
        return new Builder(service);
    }

    private static void health(Context ctx, List<HealthCheck> checks) {
        Map<String, Object> body = HealthChecks.run(checks);
        ctx.status("UP".equals(body.get("status")) ? 200 : 503).json(body);
    }

    private static Timer timer(PrometheusMeterRegistry registry, Context ctx) {
        Endpoint endpoint = null;
        try {
            endpoint = ctx.endpoints().matchedHttpEndpoint();
        } catch (RuntimeException e) {
            // no endpoint matched: counted under NOT_FOUND
        }
        String route = endpoint == null ? (ctx.statusCode() == 404 ? "NOT_FOUND" : "static") : endpoint.path;
        return Timer.builder("riptide.http.requests").description("HTTP requests served, by route and status")
                .tags("method", ctx.method().name(), "route", route, "status", Integer.toString(ctx.statusCode()))
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry);
    }

    @Override
    public String name() {
        return service + "-http";
    }

    /** Listens; a second call does nothing. */
    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        app.start(host, requestedPort);
        started = true;
        LOG.info("{} HTTP on http://{}:{}/ (health, metrics{})", service, host, app.port(),
                withExtensions ? ", ops API and console" : "");
    }

    /** The port listened on (the chosen one when started with port 0). */
    public int port() {
        return app.port();
    }

    /** The base URL, e.g. http://127.0.0.1:8080 (loopback shown for a wildcard bind). */
    public String url() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + shown + ":" + port();
    }

    @Override
    public synchronized void close() {
        if (started) {
            app.stop();
            started = false;
        }
    }
}
