package io.riptide.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riptide.schemas.config.Redaction;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Speaks the Confluent Schema Registry REST API: {@code POST /subjects/{subject}/versions} to register and
 * {@code GET /schemas/ids/{id}} to fetch. Both directions are cached, so after warm-up the serde never calls out.
 * Credentials in the URL ({@code https://key:secret@host}) are sent as HTTP Basic auth and never appear in messages.
 *
 * <p>Failures that may pass (connection refused or broken, timeout, HTTP 5xx, 429) are retried up to 5 times with
 * backoff 100, 200, 400, 800 ms, all attempts together within 15 s. If the registry still cannot answer, or refuses
 * our credentials, the call fails with {@link SchemaRegistryUnavailableException}, and the next call tries again. An
 * unknown schema id (HTTP 404, error code 40403) is an answer: a {@link SchemaRegistryException} with
 * {@link SchemaRegistryException#isNotFound()}, remembered for 5 s so a stream of records carrying one bogus id does
 * not become a stream of requests. Other HTTP errors (400, 409, 422, ...) are answers too and are not retried.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    static final int ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MS = 100;
    static final Duration NOT_FOUND_TTL = Duration.ofSeconds(5);
    // random ids from garbage records must not grow the memory of unknown ids without bound
    private static final int NOT_FOUND_MAX_ENTRIES = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http;
    private final LongSupplier nanoClock;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<Integer, NotFound> notFoundById = new ConcurrentHashMap<>();

    /** A 404 for an id, kept until {@code untilNanos}. */
    private record NotFound(long untilNanos, String message, int httpStatus, int errorCode) {
    }

    public HttpSchemaRegistryClient(String baseUrl) {
        this(baseUrl, System::nanoTime);
    }

    HttpSchemaRegistryClient(String baseUrl, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("schema registry URL is empty");
        }
        URI parsed;
        try {
            parsed = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            // no cause: its message quotes the whole URL, credentials included
            throw new IllegalArgumentException("schema registry URL is not a URL: " + e.getReason() + " at index "
                    + e.getIndex() + " of " + Redaction.url(baseUrl.trim()));
        }
        String userInfo = parsed.getRawUserInfo();
        String safe = userInfo == null ? parsed.toString() : parsed.toString().replace(userInfo + "@", "");
        if (parsed.getScheme() == null || !parsed.getScheme().startsWith("http") || parsed.getHost() == null) {
            throw new IllegalArgumentException("schema registry URL must be http(s)://host:port, got "
                    + Redaction.url(parsed.toString()));
        }
        this.baseUrl = safe.endsWith("/") ? safe.substring(0, safe.length() - 1) : safe;
        this.authorization = userInfo == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                decodeCredentials(userInfo).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The URL without credentials. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient[" + baseUrl + (authorization == null ? "" : ", basic auth") + "]";
    }

    private static String decodeCredentials(String userInfo) {
        try {
            return URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // no cause and no detail: the decoder's message quotes the credentials
            throw new IllegalArgumentException("schema registry URL has credentials with invalid percent-encoding");
        }
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
        NotFound notFound = notFoundById.get(id);
        if (notFound != null) {
            if (nanoClock.getAsLong() - notFound.untilNanos() < 0) {
                throw new SchemaRegistryException(notFound.message(), notFound.httpStatus(), notFound.errorCode());
            }
            notFoundById.remove(id, notFound);
        }
        String url = baseUrl + "/schemas/ids/" + id;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", CONTENT_TYPE)
                .GET()
                .build();
        JsonNode answer;
        try {
            answer = send(request, "fetch schema id " + id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                if (notFoundById.size() >= NOT_FOUND_MAX_ENTRIES) {
                    notFoundById.clear();
                }
                notFoundById.put(id, new NotFound(nanoClock.getAsLong() + NOT_FOUND_TTL.toNanos(), e.getMessage(),
                        e.httpStatus(), e.errorCode()));
            }
            throw e;
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("GET " + url + " (schema id " + id + ") answered without a schema: "
                    + abbreviate(answer.toString()), 200, -1);
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

    /**
     * Sends with retries. Only failures that may pass are retried, and all attempts share one deadline, so a
     * registry that hangs costs one request timeout, not one per attempt.
     */
    private JsonNode send(HttpRequest unauthenticated, String what) {
        String target = unauthenticated.method() + " " + unauthenticated.uri();
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
        long backoffMs = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(unauthenticated, (name, value) -> true)
                    .timeout(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000L)));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            String attempts = " (" + attempt + (attempt == 1 ? " attempt)" : " attempts)");
            SchemaRegistryUnavailableException failure;
            try {
                HttpResponse<String> response = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status != 429 && status < 500) {
                    return parse(response, what, target);
                }
                SchemaRegistryException answer = failureOf(response, what, target);
                failure = new SchemaRegistryUnavailableException(answer.getMessage() + attempts, status,
                        answer.errorCode(), null);
            } catch (ConnectException e) {
                failure = new SchemaRegistryUnavailableException("cannot " + what + ": " + target
                        + " refused the connection " + attempt + (attempt == 1 ? " time" : " times"), e);
            } catch (HttpTimeoutException e) {
                failure = new SchemaRegistryUnavailableException("cannot " + what + ": " + target + " timed out: "
                        + e.getMessage() + attempts, e);
            } catch (IOException e) {
                failure = new SchemaRegistryUnavailableException("cannot " + what + ": " + target + " failed: " + e
                        + attempts, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("interrupted while trying to " + what + " at " + target, e);
            }
            if (attempt >= ATTEMPTS || deadline - System.nanoTime() <= backoffMs * 1_000_000L) {
                throw failure;
            }
            sleep(backoffMs, what, target);
            backoffMs *= 2;
        }
    }

    private static JsonNode parse(HttpResponse<String> response, String what, String target) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            try {
                JsonNode body = JSON.readTree(response.body());
                if (body != null) {
                    return body;
                }
            } catch (IOException e) {
                // reported below like any other answer we cannot use
            }
        }
        SchemaRegistryException failure = failureOf(response, what, target);
        boolean registrySaysNotFound = status == 404 && failure.isNotFound();
        if (status == 401 || status == 403 || status == 404 && !registrySaysNotFound || status / 100 == 2) {
            // not an answer about the schema: credentials, a URL that is not the registry, a proxy's page
            throw new SchemaRegistryUnavailableException(failure.getMessage(), status, failure.errorCode(), null);
        }
        throw failure;
    }

    private static SchemaRegistryException failureOf(HttpResponse<String> response, String what, String target) {
        int status = response.statusCode();
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        int errorCode = body != null && body.has("error_code") ? body.get("error_code").asInt(-1) : -1;
        String message = body != null && body.has("message") ? body.get("message").asText() : abbreviate(response.body());
        return new SchemaRegistryException("cannot " + what + ": " + target + " answered HTTP " + status
                + " error_code " + errorCode + ": " + message, status, errorCode);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(long millis, String what, String target) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("interrupted while waiting to retry to " + what + " at "
                    + target, e);
        }
    }
}
