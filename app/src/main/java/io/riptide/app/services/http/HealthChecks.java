package io.riptide.app.services.http;

import io.riptide.topology.StreamService;
import io.riptide.trigger.TriggerService;
import org.apache.kafka.streams.KafkaStreams;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The health checks of Riptide's services, as docs/OPS.md lists them. */
public final class HealthChecks {
    private static final Set<KafkaStreams.State> READY = Set.of(KafkaStreams.State.RUNNING,
            KafkaStreams.State.REBALANCING);
    private static final Set<KafkaStreams.State> DEAD = Set.of(KafkaStreams.State.ERROR,
            KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_SHUTDOWN);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HealthChecks() {
    }

    /**
     * Ready once Kafka Streams has been RUNNING since start (its tasks assigned and restored), while it is RUNNING or
     * REBALANCING and no state store is restoring from its changelog: a restoring task processes nothing, so its
     * predictions are late.
     */
    public static HealthCheck streamReady(StreamService stream) {
        return HealthCheck.of("kafka-streams", () -> {
            KafkaStreams.State state = stream.state();
            if (!stream.hasBeenRunning()) {
                return new HealthCheck.Result(false, state.name() + ", not yet RUNNING since start");
            }
            int restoring = stream.restores().restoring();
            return new HealthCheck.Result(READY.contains(state) && restoring == 0,
                    restoring == 0 ? state.name() : state.name() + ", restoring " + restoring + " partitions");
        });
    }

    /** Alive unless Kafka Streams has failed or stopped (CREATED while starting is alive). */
    public static HealthCheck streamAlive(StreamService stream) {
        return HealthCheck.of("kafka-streams", () -> {
            KafkaStreams.State state = stream.state();
            return new HealthCheck.Result(!DEAD.contains(state), state.name());
        });
    }

    /**
     * One check per trigger consumer loop and for the job worker, up while its thread runs without error (the loops
     * exist once the trigger has started, so they are listed when the check runs).
     */
    public static HealthCheck triggerLoops(TriggerService trigger) {
        return new HealthCheck() {
            @Override
            public String name() {
                return "trigger-loops";
            }

            @Override
            public Result check() {
                boolean all = trigger.loopsAlive().values().stream().allMatch(Boolean::booleanValue);
                return new Result(all, all ? "alive" : "a loop stopped");
            }

            @Override
            public List<HealthCheck> expand() {
                List<HealthCheck> checks = new ArrayList<>();
                trigger.loopsAlive().forEach((loop, alive) -> checks.add(HealthCheck.of("trigger-" + loop, () ->
                        new Result(alive, alive ? "alive" : trigger.failure().map(Throwable::toString)
                                .orElse("not running")))));
                return checks;
            }
        };
    }

    /** The trigger's database answers {@code SELECT 1}. */
    public static HealthCheck database(TriggerService trigger) {
        return HealthCheck.of("postgresql", () -> {
            trigger.opsSurface().pingDatabase();
            return HealthCheck.Result.up("SELECT 1 answered");
        });
    }

    /**
     * The schema registry answers {@code GET /subjects}. Credentials in the URL are sent as basic auth and never
     * appear in the result.
     */
    public static HealthCheck schemaRegistry(String url) {
        URI full = URI.create(url.endsWith("/") ? url : url + "/");
        String userInfo = full.getRawUserInfo();
        URI target = URI.create(full.getScheme() + "://" + full.getRawAuthority().substring(
                userInfo == null ? 0 : userInfo.length() + 1) + full.getRawPath() + "subjects");
        String shown = target.toString();
        return HealthCheck.of("schema-registry", () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(3)).GET();
            if (userInfo != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
            }
            try {
                int status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                return new HealthCheck.Result(status == 200, "GET " + shown + " answered HTTP " + status);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HealthCheck.Result.down("interrupted");
            } catch (Exception e) {
                return HealthCheck.Result.down("GET " + shown + " failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        });
    }

    /** Results as JSON: {"status": "UP", "checks": {name: {"status", "detail"}}}. */
    public static Map<String, Object> run(List<HealthCheck> checks) {
        Map<String, Object> results = new java.util.LinkedHashMap<>();
        boolean up = true;
        List<HealthCheck> expanded = new ArrayList<>();
        checks.forEach(c -> expanded.addAll(c.expand()));
        for (HealthCheck check : expanded) {
            HealthCheck.Result result;
            try {
                result = check.check();
            } catch (RuntimeException e) {
                result = HealthCheck.Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            up &= result.up();
            results.put(check.name(), Map.of("status", result.up() ? "UP" : "DOWN", "detail", result.detail()));
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", results);
        return body;
    }
}
