package io.riptide.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small client of the trigger's ops API. The token is sent as a bearer token and never shown. */
final class OpsHttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A JSON answer with its HTTP status. */
    record Answer(int status, JsonNode body) {
    }

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OpsHttpClient(String base, String token) {
        String b = base.strip();
        if (!b.matches("https?://.+")) {
            throw new IllegalArgumentException("--api must be an http(s):// URL, got '" + base + "'");
        }
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET; a non-2xx answer is an error naming the API's reason. */
    JsonNode get(String path) {
        Answer answer = send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
        if (answer.status() / 100 != 2) {
            throw failure("GET " + path, answer);
        }
        return answer.body();
    }

    /** POST a JSON body; 2xx and 409 (refused) come back as answers, other statuses are errors. */
    Answer post(String path, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Answer answer = send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text)), path);
        if (answer.status() / 100 != 2 && answer.status() != 409 && !answer.body().has("requestId")) {
            throw failure("POST " + path, answer);
        }
        return answer;
    }

    private Answer send(HttpRequest.Builder request, String path) {
        request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body);
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach the ops API at " + base + " (is the trigger running with "
                    + "--http-port?)");
        } catch (IOException e) {
            throw new IllegalStateException("ops API call " + path + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private IllegalStateException failure(String call, Answer answer) {
        String reason = answer.body().path("error").asText("");
        String hint = answer.status() == 401 && token == null ? " (give --token or set RIPTIDE_OPS_TOKEN)" : "";
        return new IllegalStateException(call + " answered HTTP " + answer.status()
                + (reason.isEmpty() ? "" : ": " + reason) + hint);
    }
}
