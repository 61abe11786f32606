package io.riptide.app.services.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.javalin.http.staticfiles.Location;
import io.javalin.security.RouteRole;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.OpsResponse;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.trigger.TriggerService;
import io.riptide.trigger.api.OpsQueries;
import io.riptide.trigger.api.OpsSurface;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The trigger's ops API (JSON under {@code /api}, described by {@code /api/openapi.json}) and its web console
 * ({@code /}). Every {@code /api} route but the OpenAPI document needs a bearer token ({@link OpsTokens}): reads the
 * {@code read} role, retrain / rollback / promote {@code operate}, and a forced retrain {@code force} as well.
 * Changes are carried out directly by the trigger's {@code OpsDesk}, audited with the token's principal as
 * {@code requestedBy} (whatever the body says), and answered on {@code ops.responses} too.
 */
public final class OpsHttpApi implements Consumer<JavalinConfig> {
    /** Every route this class registers, for the OpenAPI check. */
    public record Route(String method, String path, Set<OpsRole> roles) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LIMIT = 1_000;
    private static final String PRINCIPAL = "riptide.principal";

    private final TriggerService trigger;
    private final OpsSurface ops;
    private final OpsTokens tokens;
    private final Supplier<Map<String, Object>> services;
    private final List<Route> routes = new ArrayList<>();

    /**
     * @param services what {@code GET /api/status} reports under {@code services}: the readiness checks of the
     *                 server (and of the stream when it runs in the same process)
     */
    public OpsHttpApi(TriggerService trigger, OpsTokens tokens, Supplier<Map<String, Object>> services) {
        this.trigger = trigger;
        this.ops = trigger.opsSurface();
        this.tokens = tokens;
        this.services = services;
    }

    @Override
    public void accept(JavalinConfig config) {
        config.routes.beforeMatched("/api/*", this::authorize);
        config.routes.before("/api/*", ctx -> ctx.header("Cache-Control", "no-store"));
        config.routes.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        });
        route(config, HandlerType.GET, "/api/openapi.json", this::openApi);
        route(config, HandlerType.GET, "/api/status", this::status, OpsRole.READ);
        route(config, HandlerType.GET, "/api/models", ctx -> ctx.json(ops.queries().models()), OpsRole.READ);
        route(config, HandlerType.GET, "/api/models/{key}", this::model, OpsRole.READ);
        route(config, HandlerType.GET, "/api/jobs", this::jobs, OpsRole.READ);
        route(config, HandlerType.GET, "/api/jobs/{id}", this::job, OpsRole.READ);
        route(config, HandlerType.GET, "/api/drift", this::drift, OpsRole.READ);
        route(config, HandlerType.GET, "/api/history", this::history, OpsRole.READ);
        route(config, HandlerType.GET, "/api/requests", this::requests, OpsRole.READ);
        route(config, HandlerType.GET, "/api/requests/{id}", this::request, OpsRole.READ);
        route(config, HandlerType.POST, "/api/models/{key}/retrain", ctx -> change(ctx, OpsAction.RETRAIN),
                OpsRole.OPERATE);
        route(config, HandlerType.POST, "/api/models/{key}/rollback", ctx -> change(ctx, OpsAction.ROLLBACK),
                OpsRole.OPERATE);
        route(config, HandlerType.POST, "/api/models/{key}/promote", ctx -> change(ctx, OpsAction.PROMOTE),
                OpsRole.OPERATE);
        config.routes.exception(BadRequest.class, (e, ctx) -> ctx.status(e.status).json(error(e.getMessage())));
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/riptide-console";
            files.location = Location.CLASSPATH;
        });
    }

    /** The routes registered by {@link #accept}. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private void route(JavalinConfig config, HandlerType method, String path, Handler handler, OpsRole... roles) {
        routes.add(new Route(method.name(), path, Set.of(roles)));
        config.routes.addHttpHandler(method, path, handler, roles);
    }

    private void authorize(Context ctx) {
        Set<RouteRole> needed = ctx.routeRoles();
        if (needed.isEmpty()) {
            return;
        }
        String header = ctx.header(Header.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip()
                : null;
        if (tokens.isEmpty()) {
            deny(ctx, 401, "no ops tokens are configured on this trigger (ops.api.tokens.file or ops.api.tokens)");
            return;
        }
        if (token == null) {
            deny(ctx, 401, "this call needs a bearer token (Authorization: Bearer <token>)");
            return;
        }
        var principal = tokens.authenticate(token);
        if (principal.isEmpty()) {
            deny(ctx, 401, "unknown token");
            return;
        }
        for (RouteRole role : needed) {
            if (!principal.get().has((OpsRole) role)) {
                deny(ctx, 403, principal.get().name() + " lacks the " + ((OpsRole) role).label() + " role");
                return;
            }
        }
        ctx.attribute(PRINCIPAL, principal.get());
    }

    private static void deny(Context ctx, int status, String message) {
        if (status == 401) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"riptide-ops\"");
        }
        ctx.status(status).json(error(message));
        ctx.skipRemainingHandlers();
    }

    private void openApi(Context ctx) {
        try (InputStream in = OpsHttpApi.class.getResourceAsStream("/riptide-console/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the classpath");
            }
            ctx.contentType("application/json").result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void status(Context ctx) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("services", services.get());
        status.putAll(ops.status(trigger.loopsAlive()));
        ctx.json(status);
    }

    private void model(Context ctx) {
        String key = ctx.pathParam("key");
        ctx.json(ops.queries().model(key).orElseThrow(() -> new BadRequest(404, "no model key " + key
                + " (known: " + ops.queries().keys() + ")")));
    }

    private void jobs(Context ctx) {
        ctx.json(ops.queries().jobs(ctx.queryParam("key"), upper(ctx.queryParam("status")), limit(ctx, 50)));
    }

    private void job(Context ctx) {
        long id = longParam(ctx.pathParam("id"), "job id");
        ctx.json(ops.queries().job(id).orElseThrow(() -> new BadRequest(404, "no job " + id)));
    }

    private void drift(Context ctx) {
        ctx.json(ops.queries().drift(ctx.queryParam("key"), ctx.queryParam("detector"),
                upper(ctx.queryParam("severity")), since(ctx.queryParam("since")), limit(ctx, 100)));
    }

    private void history(Context ctx) {
        ctx.json(ops.queries().history(ctx.queryParam("key"), limit(ctx, 100)));
    }

    private void requests(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        ops.desk().recent(ctx.queryParam("key"), limit(ctx, 50)).forEach(r -> out.add(OpsQueries.requestView(r)));
        ctx.json(out);
    }

    private void request(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.json(OpsQueries.requestView(ops.desk().find(id).orElseThrow(() ->
                new BadRequest(404, "no ops request " + id))));
    }

    private void change(Context ctx, OpsAction action) {
        OpsTokens.Principal principal = ctx.attribute(PRINCIPAL);
        JsonNode body = body(ctx);
        String key = ctx.pathParam("key");
        boolean force = body.path("force").asBoolean(false);
        if (force && action != OpsAction.RETRAIN) {
            throw new BadRequest(400, "force applies to retrain only");
        }
        if (force && !principal.has(OpsRole.FORCE)) {
            throw new BadRequest(403, principal.name() + " lacks the force role (a forced retrain skips the gates)");
        }
        Integer version = body.hasNonNull("version") ? body.get("version").asInt() : null;
        if (body.hasNonNull("version") && !body.get("version").canConvertToInt()) {
            throw new BadRequest(400, "version must be an integer");
        }
        if (action == OpsAction.PROMOTE && version == null) {
            throw new BadRequest(400, "promote needs {\"version\": N}");
        }
        if (action == OpsAction.RETRAIN && version != null) {
            throw new BadRequest(400, "retrain takes no version");
        }
        String reason = body.path("reason").asText("").strip();
        if (reason.isEmpty()) {
            reason = action.name().toLowerCase() + " requested over the ops API";
        }
        String requestId = body.hasNonNull("requestId") ? body.get("requestId").asText() : UUID.randomUUID().toString();
        if (!requestId.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new BadRequest(400, "requestId must be 1 to 100 of [A-Za-z0-9._:-]");
        }
        RetrainRequest request = RetrainRequest.newBuilder().setRequestId(requestId).setModelKey(key).setAction(action)
                .setRequestedBy(principal.name()).setReason(reason).setForce(force).setTargetVersion(version)
                .setTimeMs(System.currentTimeMillis()).build();
        OpsResponse reply = ops.desk().submit(request, "http");
        int status = switch (reply.getStatus()) {
            case ACCEPTED -> 202;
            case SUCCEEDED -> 200;
            case REFUSED -> 409;
            case REJECTED, FAILED -> 500;
        };
        ctx.status(status).json(replyView(reply));
    }

    /** An ops reply as JSON, with where to follow it. */
    public static Map<String, Object> replyView(OpsResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", r.getRequestId());
        m.put("modelKey", r.getModelKey());
        m.put("action", r.getAction().name());
        m.put("status", r.getStatus().name());
        m.put("terminal", r.getTerminal());
        m.put("message", r.getMessage());
        m.put("jobId", r.getJobId());
        m.put("modelVersion", r.getModelVersion());
        m.put("requestedBy", r.getRequestedBy());
        m.put("source", r.getSource());
        m.put("time", Instant.ofEpochMilli(r.getTimeMs()).toString());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("request", "/api/requests/" + r.getRequestId());
        if (r.getJobId() != null) {
            links.put("job", "/api/jobs/" + r.getJobId());
        }
        m.put("links", links);
        return m;
    }

    private static JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (!node.isObject()) {
                throw new BadRequest(400, "the body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest(400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static int limit(Context ctx, int defaultLimit) {
        String value = ctx.queryParam("limit");
        if (value == null) {
            return defaultLimit;
        }
        long limit = longParam(value, "limit");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest(400, "limit must be between 1 and " + MAX_LIMIT);
        }
        return (int) limit;
    }

    private static long longParam(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, name + " must be an integer, got '" + value + "'");
        }
    }

    /** {@code since}: epoch ms, an ISO-8601 instant, or a duration back from now (90s, 15m, 2h, 1d). */
    static Long since(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.matches("\\d{10,}")) {
            return Long.parseLong(v);
        }
        if (v.matches("\\d+[smhd]")) {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            Duration back = switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return System.currentTimeMillis() - back.toMillis();
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadRequest(400, "since must be epoch ms, an ISO-8601 instant or a duration like 15m, got '"
                    + value + "'");
        }
    }

    private static String upper(String value) {
        return value == null || value.isBlank() ? null : value.strip().toUpperCase();
    }

    private static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    /** A request the API refuses with a status and a one-line reason. */
    static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
