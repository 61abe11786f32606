package io.riptide.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Speaks the Confluent Schema Registry REST API: {@code POST /subjects/{subject}/versions} to register and
 * {@code GET /schemas/ids/{id}} to fetch. Both directions are cached, so after warm-up the serde never calls out.
 * A refused connection (a registry still starting) is retried a few times with backoff; an HTTP error is not.
 * Credentials in the URL ({@code https://key:secret@host}) are sent as HTTP Basic auth and never appear in messages.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final int CONNECT_ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("schema registry URL is empty");
        }
        URI parsed;
        try {
            parsed = URI.create(baseUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema registry URL is not a URL: " + e.getMessage(), e);
        }
        String userInfo = parsed.getRawUserInfo();
        String safe = userInfo == null ? parsed.toString() : parsed.toString().replace(userInfo + "@", "");
        if (parsed.getScheme() == null || !parsed.getScheme().startsWith("http") || parsed.getHost() == null) {
            throw new IllegalArgumentException("schema registry URL must be http(s)://host:port, got " + safe);
        }
        this.baseUrl = safe.endsWith("/") ? safe.substring(0, safe.length() - 1) : safe;
        this.authorization = userInfo == null ? null : "Basic " + java.util.Base64.getEncoder().encodeToString(
                java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        String url = baseUrl + "/subjects/" + encode(subject) + "/versions";
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new SchemaRegistryException("cannot encode schema for subject " + subject + ": " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        JsonNode answer = send(request, "register subject " + subject);
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException("POST " + url + " (subject " + subject + ") answered without an id: "
                    + answer, 200, -1);
        }
        int value = id.intValue();
        ids.put(schema, value);
        schemasById.putIfAbsent(value, schema);
        return value;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String url = baseUrl + "/schemas/ids/" + id;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", CONTENT_TYPE)
                .GET()
                .build();
        JsonNode answer = send(request, "fetch schema id " + id);
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("GET " + url + " (schema id " + id + ") answered without a schema: "
                    + answer, 200, -1);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("GET " + url + " (schema id " + id + ") returned an invalid Avro schema: "
                    + e.getMessage(), e);
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    private JsonNode send(HttpRequest unauthenticated, String what) {
        HttpRequest request = authorization == null ? unauthenticated
                : HttpRequest.newBuilder(unauthenticated, (name, value) -> true)
                        .header("Authorization", authorization).build();
        String target = request.method() + " " + request.uri();
        long backoffMs = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (ConnectException e) {
                if (attempt >= CONNECT_ATTEMPTS) {
                    throw new SchemaRegistryException("cannot " + what + ": " + target + " refused the connection "
                            + attempt + " times", e);
                }
                sleep(backoffMs);
                backoffMs *= 2;
                continue;
            } catch (HttpTimeoutException e) {
                throw new SchemaRegistryException("cannot " + what + ": " + target + " timed out: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new SchemaRegistryException("cannot " + what + ": " + target + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while trying to " + what + " at " + target, e);
            }
            return parse(response, what, target);
        }
    }

    private static JsonNode parse(HttpResponse<String> response, String what, String target) {
        int status = response.statusCode();
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (status / 100 == 2 && body != null) {
            return body;
        }
        int errorCode = body != null && body.has("error_code") ? body.get("error_code").asInt(-1) : -1;
        String message = body != null && body.has("message") ? body.get("message").asText() : abbreviate(response.body());
        throw new SchemaRegistryException("cannot " + what + ": " + target + " answered HTTP " + status
                + " error_code " + errorCode + ": " + message, status, errorCode);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while waiting to retry the schema registry", e);
        }
    }
}
