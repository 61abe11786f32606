package io.riptide.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riptide.schemas.avro.Trade;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST surface, checked with a raw HTTP client so nothing of ours sits between the test and the server. */
class InProcessSchemaRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private InProcessSchemaRegistry server;

    @BeforeEach
    void start() {
        server = InProcessSchemaRegistry.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Answer(int status, JsonNode body, String contentType) {
    }

    private Answer call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    private static String schemaBody() throws Exception {
        return JSON.writeValueAsString(Map.of("schema", Trade.getClassSchema().toString()));
    }

    @Test
    void servesTheConfluentSubset() throws Exception {
        Answer registered = call("POST", "/subjects/market.trades-value/versions", schemaBody());
        assertEquals(200, registered.status());
        assertEquals("application/vnd.schemaregistry.v1+json", registered.contentType());
        int id = registered.body().get("id").asInt();

        assertEquals(Trade.getClassSchema().toString(), call("GET", "/schemas/ids/" + id, null).body().get("schema").asText());
        assertEquals("[\"market.trades-value\"]", call("GET", "/subjects", null).body().toString());
        assertEquals("[1]", call("GET", "/subjects/market.trades-value/versions", null).body().toString());

        JsonNode latest = call("GET", "/subjects/market.trades-value/versions/latest", null).body();
        assertEquals(1, latest.get("version").asInt());
        assertEquals(id, latest.get("id").asInt());
        assertEquals("market.trades-value", latest.get("subject").asText());
        assertEquals(latest, call("GET", "/subjects/market.trades-value/versions/1", null).body());

        JsonNode lookup = call("POST", "/subjects/market.trades-value", schemaBody()).body();
        assertEquals(id, lookup.get("id").asInt());

        assertTrue(call("GET", "/config", null).body().has("compatibilityLevel"));
    }

    @Test
    void answersConfluentStyleErrors() throws Exception {
        Answer unknownId = call("GET", "/schemas/ids/77", null);
        assertEquals(404, unknownId.status());
        assertEquals(40403, unknownId.body().get("error_code").asInt());

        Answer unknownSubject = call("GET", "/subjects/nope-value/versions", null);
        assertEquals(404, unknownSubject.status());
        assertEquals(40401, unknownSubject.body().get("error_code").asInt());

        call("POST", "/subjects/a-value/versions", schemaBody());
        Answer unknownVersion = call("GET", "/subjects/a-value/versions/9", null);
        assertEquals(404, unknownVersion.status());
        assertEquals(40402, unknownVersion.body().get("error_code").asInt());

        Answer notRegistered = call("POST", "/subjects/a-value",
                JSON.writeValueAsString(Map.of("schema", "\"string\"")));
        assertEquals(404, notRegistered.status());
        assertEquals(40403, notRegistered.body().get("error_code").asInt());
        assertEquals("Schema not found", notRegistered.body().get("message").asText());

        Answer invalid = call("POST", "/subjects/a-value/versions", JSON.writeValueAsString(Map.of("schema", "{nope")));
        assertEquals(422, invalid.status());
        assertEquals(42201, invalid.body().get("error_code").asInt());
    }

    private static String body(org.apache.avro.Schema schema) throws Exception {
        return JSON.writeValueAsString(Map.of("schema", schema.toString()));
    }

    @Test
    void refusesAnIncompatibleVersionWith409LikeConfluent() throws Exception {
        assertEquals("BACKWARD", call("GET", "/config", null).body().get("compatibilityLevel").asText());
        assertEquals(200, call("POST", "/subjects/q-value/versions", body(InMemorySchemaRegistryTest.V1)).status());
        assertEquals(200, call("POST", "/subjects/q-value/versions",
                body(InMemorySchemaRegistryTest.V2_ADDS_DEFAULTED_FIELD)).status());

        Answer refused = call("POST", "/subjects/q-value/versions",
                body(InMemorySchemaRegistryTest.V3_ADDS_FIELD_WITHOUT_DEFAULT));
        assertEquals(409, refused.status());
        assertEquals(409, refused.body().get("error_code").asInt());
        assertTrue(refused.body().get("message").asText().contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
                refused.body().toString());
        assertEquals("[1,2]", call("GET", "/subjects/q-value/versions", null).body().toString());
    }

    @Test
    void answersWhetherASchemaIsCompatible() throws Exception {
        call("POST", "/subjects/q-value/versions", body(InMemorySchemaRegistryTest.V1));
        JsonNode compatible = call("POST", "/compatibility/subjects/q-value/versions/latest",
                body(InMemorySchemaRegistryTest.V2_ADDS_DEFAULTED_FIELD)).body();
        assertEquals("{\"is_compatible\":true}", compatible.toString());

        JsonNode incompatible = call("POST", "/compatibility/subjects/q-value/versions/1",
                body(InMemorySchemaRegistryTest.V3_ADDS_FIELD_WITHOUT_DEFAULT)).body();
        assertFalse(incompatible.get("is_compatible").asBoolean());
        assertFalse(incompatible.has("messages"));

        JsonNode verbose = call("POST", "/compatibility/subjects/q-value/versions/latest?verbose=true",
                body(InMemorySchemaRegistryTest.V3_ADDS_FIELD_WITHOUT_DEFAULT)).body();
        assertFalse(verbose.get("is_compatible").asBoolean());
        assertTrue(verbose.get("messages").get(0).asText().contains("READER_FIELD_MISSING_DEFAULT_VALUE"), verbose.toString());

        assertTrue(call("POST", "/compatibility/subjects/new-value/versions/latest",
                body(InMemorySchemaRegistryTest.V1)).body().get("is_compatible").asBoolean(), "nothing to conflict with");
        Answer unknownSubject = call("POST", "/compatibility/subjects/new-value/versions/2", body(InMemorySchemaRegistryTest.V1));
        assertEquals(404, unknownSubject.status());
        assertEquals(40401, unknownSubject.body().get("error_code").asInt());
        Answer unknownVersion = call("POST", "/compatibility/subjects/q-value/versions/2", body(InMemorySchemaRegistryTest.V1));
        assertEquals(40402, unknownVersion.body().get("error_code").asInt());
    }

    @Test
    void compatibilityLevelsAreReadAndSetGloballyAndPerSubject() throws Exception {
        Answer notConfigured = call("GET", "/config/q-value", null);
        assertEquals(404, notConfigured.status());
        assertEquals(40408, notConfigured.body().get("error_code").asInt());
        assertEquals("BACKWARD", call("GET", "/config/q-value?defaultToGlobal=true", null).body()
                .get("compatibilityLevel").asText());

        Answer set = call("PUT", "/config/q-value", "{\"compatibility\": \"NONE\"}");
        assertEquals(200, set.status());
        assertEquals("{\"compatibility\":\"NONE\"}", set.body().toString());
        assertEquals("NONE", call("GET", "/config/q-value", null).body().get("compatibilityLevel").asText());
        call("POST", "/subjects/q-value/versions", body(InMemorySchemaRegistryTest.V1));
        assertEquals(200, call("POST", "/subjects/q-value/versions",
                body(InMemorySchemaRegistryTest.V3_ADDS_FIELD_WITHOUT_DEFAULT)).status());

        assertEquals("{\"compatibility\":\"FULL\"}", call("PUT", "/config", "{\"compatibility\": \"full\"}").body().toString());
        assertEquals("FULL", call("GET", "/config", null).body().get("compatibilityLevel").asText());
        assertEquals("NONE", call("GET", "/config/q-value", null).body().get("compatibilityLevel").asText());

        Answer invalid = call("PUT", "/config", "{\"compatibility\": \"SIDEWAYS\"}");
        assertEquals(422, invalid.status());
        assertEquals(42203, invalid.body().get("error_code").asInt());
    }
}
