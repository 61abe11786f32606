package io.riptide.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Schema Registry served over real HTTP on 127.0.0.1 (ephemeral port), backed by {@link InMemorySchemaRegistry}.
 * It implements the subset of the Confluent REST API that clients and tooling use day to day, with Confluent-style
 * JSON errors, so the embedded runtime exercises the same HTTP client as production. Like Confluent's, it enforces
 * BACKWARD compatibility per subject unless configured otherwise ({@code PUT /config}, {@code PUT /config/{subject}}):
 * registering an incompatible schema answers HTTP 409 with error code 409.
 */
public final class InProcessSchemaRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final InMemorySchemaRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String url;

    private InProcessSchemaRegistry(InMemorySchemaRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts a registry on 127.0.0.1 with an ephemeral port. */
    public static InProcessSchemaRegistry start() {
        return start(0);
    }

    /** Starts a registry on 127.0.0.1:{@code port} ({@code 0} for an ephemeral port). */
    public static InProcessSchemaRegistry start(int port) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new SchemaRegistryException("cannot bind the in-process schema registry to 127.0.0.1:" + port
                    + ": " + e.getMessage(), e);
        }
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "schema-registry-" + instance + "-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        InProcessSchemaRegistry result = new InProcessSchemaRegistry(registry, server, executor);
        server.createContext("/", result::handle);
        server.start();
        return result;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:43121}. */
    public String url() {
        return url;
    }

    /** The store behind the HTTP API (for tests and in-JVM callers that want to skip HTTP). */
    public InMemorySchemaRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()), exchange);
            } catch (SchemaRegistryException e) {
                reply = error(e.httpStatus() > 0 ? e.httpStatus() : 500, e.errorCode() > 0 ? e.errorCode() : 50001,
                        e.getMessage());
            } catch (RuntimeException e) {
                reply = error(500, 50001, "Error in the backend data store: " + e);
            }
            byte[] body = JSON.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Reply(int status, Object body) {
    }

    private Reply route(String method, List<String> path, HttpExchange exchange) throws IOException {
        int n = path.size();
        if (n >= 1 && path.get(0).equals("config")) {
            return config(method, path, exchange);
        }
        if (n == 5 && path.get(0).equals("compatibility") && path.get(1).equals("subjects")
                && path.get(3).equals("versions") && method.equals("POST")) {
            return compatibility(path.get(2), path.get(4), exchange);
        }
        if (n == 1 && path.get(0).equals("subjects") && method.equals("GET")) {
            return ok(registry.subjects());
        }
        if (n == 3 && path.get(0).equals("schemas") && path.get(1).equals("ids") && method.equals("GET")) {
            int id = parseInt(path.get(2), 40403, "Schema " + path.get(2) + " not found");
            Schema schema = lookupId(id);
            return ok(Map.of("schema", schema.toString()));
        }
        if (n >= 2 && path.get(0).equals("subjects")) {
            String subject = path.get(1);
            if (n == 2 && method.equals("POST")) {
                Schema schema = readSchema(exchange);
                requireSubject(subject);
                return registry.lookup(subject, schema)
                        .map(v -> ok(versionJson(v)))
                        .orElseGet(() -> error(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
            }
            if (n == 3 && path.get(2).equals("versions") && method.equals("POST")) {
                Schema schema = readSchema(exchange);
                return ok(Map.of("id", registry.register(subject, schema)));
            }
            if (n == 3 && path.get(2).equals("versions") && method.equals("GET")) {
                List<Integer> versions = new ArrayList<>();
                requireSubject(subject).forEach(v -> versions.add(v.version()));
                return ok(versions);
            }
            if (n == 4 && path.get(2).equals("versions") && method.equals("GET")) {
                List<InMemorySchemaRegistry.SubjectVersion> versions = requireSubject(subject);
                String wanted = path.get(3);
                int number = wanted.equals("latest") || wanted.equals("-1") ? versions.size()
                        : parseInt(wanted, 42202, "The specified version '" + wanted + "' is not a valid version id.");
                if (number < 1 || number > versions.size()) {
                    return error(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + wanted + " not found.");
                }
                return ok(versionJson(versions.get(number - 1)));
            }
        }
        return noRoute(method, path);
    }

    /** GET or PUT the global level ({@code /config}) or a subject's ({@code /config/{subject}}). */
    private Reply config(String method, List<String> path, HttpExchange exchange) {
        if (path.size() > 2) {
            return noRoute(method, path);
        }
        String subject = path.size() == 2 ? path.get(1) : null;
        if (method.equals("GET")) {
            if (subject == null) {
                return ok(Map.of("compatibilityLevel", registry.compatibility().name()));
            }
            CompatibilityLevel level = registry.compatibility(subject)
                    .orElse(queryFlag(exchange, "defaultToGlobal") ? registry.compatibility() : null);
            if (level == null) {
                return error(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                        "Subject '" + subject + "' does not have subject-level compatibility configured");
            }
            return ok(Map.of("compatibilityLevel", level.name()));
        }
        if (method.equals("PUT")) {
            JsonNode wanted = readJson(exchange).get("compatibility");
            CompatibilityLevel level = CompatibilityLevel.parse(wanted == null ? null : wanted.asText());
            if (subject == null) {
                registry.setCompatibility(level);
            } else {
                registry.setCompatibility(subject, level);
            }
            return ok(Map.of("compatibility", level.name()));
        }
        return noRoute(method, path);
    }

    /** Whether {@code schema} could follow version {@code wanted} (a number or {@code latest}) of {@code subject}. */
    private Reply compatibility(String subject, String wanted, HttpExchange exchange) {
        Schema schema = readSchema(exchange);
        List<InMemorySchemaRegistry.SubjectVersion> versions = registry.versions(subject);
        List<String> problems;
        if (wanted.equals("latest") || wanted.equals("-1")) {
            problems = versions.isEmpty() ? List.of() : registry.effectiveCompatibility(subject)
                    .incompatibilities(schema, versions.get(versions.size() - 1).schema());
        } else {
            int number = parseInt(wanted, 42202, "The specified version '" + wanted + "' is not a valid version id.");
            requireSubject(subject);
            if (number < 1 || number > versions.size()) {
                return error(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + wanted + " not found.");
            }
            problems = registry.effectiveCompatibility(subject).incompatibilities(schema,
                    versions.get(number - 1).schema());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", problems.isEmpty());
        if (queryFlag(exchange, "verbose")) {
            body.put("messages", problems);
        }
        return ok(body);
    }

    private static boolean queryFlag(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 || pair.substring(eq + 1).equalsIgnoreCase("true");
            }
        }
        return false;
    }

    private static Reply noRoute(String method, List<String> path) {
        return error(404, 404, "HTTP 404 Not Found: no route for " + method + " /" + String.join("/", path));
    }

    private Schema lookupId(int id) {
        try {
            return registry.getById(id);
        } catch (SchemaRegistryException e) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
    }

    private List<InMemorySchemaRegistry.SubjectVersion> requireSubject(String subject) {
        List<InMemorySchemaRegistry.SubjectVersion> versions = registry.versions(subject);
        if (versions.isEmpty()) {
            throw new SchemaRegistryException("Subject '" + subject + "' not found.", 404,
                    SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        return versions;
    }

    private static Map<String, Object> versionJson(InMemorySchemaRegistry.SubjectVersion v) {
        return Map.of("subject", v.subject(), "version", v.version(), "id", v.id(), "schema", v.schema().toString());
    }

    private static JsonNode readJson(HttpExchange exchange) {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (IOException e) {
            throw new SchemaRegistryException("Invalid JSON request body: " + e.getMessage(), 422, 42201);
        }
        return body == null ? JSON.createObjectNode() : body;
    }

    private static Schema readSchema(HttpExchange exchange) {
        JsonNode body = readJson(exchange);
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("Request body must be {\"schema\": \"<Avro schema JSON>\"}", 422,
                    SchemaRegistryException.INVALID_SCHEMA);
        }
        JsonNode type = body.get("schemaType");
        if (type != null && !type.asText().equals("AVRO")) {
            throw new SchemaRegistryException("Only AVRO schemas are supported, got schemaType " + type.asText(), 422,
                    SchemaRegistryException.INVALID_SCHEMA);
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("Invalid schema: " + e.getMessage(), 422,
                    SchemaRegistryException.INVALID_SCHEMA);
        }
    }

    private static int parseInt(String text, int errorCode, String message) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(message, errorCode == 42202 ? 422 : 404, errorCode);
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> result = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                result.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    private static Reply ok(Object body) {
        return new Reply(200, body);
    }

    private static Reply error(int status, int errorCode, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error_code", errorCode);
        node.put("message", message);
        return new Reply(status, node);
    }
}
