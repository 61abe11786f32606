package io.riptide.schemas.registry;

import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.avro.Trade;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpSchemaRegistryClientTest {
    private InProcessSchemaRegistry server;

    @BeforeEach
    void startServer() {
        server = InProcessSchemaRegistry.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdAndOneVersion() {
        int first = new HttpSchemaRegistryClient(server.url()).register("market.trades-value", Trade.getClassSchema());
        // a second client has an empty cache, so this really goes over HTTP again
        int second = new HttpSchemaRegistryClient(server.url()).register("market.trades-value", Trade.getClassSchema());
        assertEquals(first, second);
        assertEquals(1, server.registry().versions("market.trades-value").size());
    }

    @Test
    void idsAreGlobalAcrossSubjectsLikeConfluent() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());
        int trades = client.register("a-value", Trade.getClassSchema());
        int sameSchemaOtherSubject = client.register("b-value", Trade.getClassSchema());
        int other = client.register("c-value", ModelVersion.getClassSchema());
        assertEquals(trades, sameSchemaOtherSubject);
        assertNotEquals(trades, other);
    }

    @Test
    void fetchesSchemaById() {
        int id = new HttpSchemaRegistryClient(server.url()).register("market.trades-value", Trade.getClassSchema());
        Schema fetched = new HttpSchemaRegistryClient(server.url()).getById(id);
        assertEquals(Trade.getClassSchema(), fetched);
    }

    @Test
    void unknownIdFailsWithUrlIdStatusAndErrorCode() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.getById(4242));
        assertFalse(e instanceof SchemaRegistryUnavailableException);
        assertEquals(404, e.httpStatus());
        assertEquals(40403, e.errorCode());
        assertTrue(e.isNotFound());
        String message = e.getMessage();
        assertTrue(message.contains(server.url() + "/schemas/ids/4242"), message);
        assertTrue(message.contains("schema id 4242"), message);
        assertTrue(message.contains("HTTP 404"), message);
        assertTrue(message.contains("40403"), message);
    }

    @Test
    void refusedConnectionIsRetriedThenReportedWithTheUrl() throws IOException {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient("http://127.0.0.1:" + freePort);
        SchemaRegistryException e = assertThrows(SchemaRegistryUnavailableException.class,
                () -> client.register("x-value", Trade.getClassSchema()));
        assertTrue(e.getMessage().contains("127.0.0.1:" + freePort + "/subjects/x-value/versions"), e.getMessage());
        assertTrue(e.getMessage().contains("subject x-value"), e.getMessage());
        assertTrue(e.getMessage().contains("refused the connection 5 times"), e.getMessage());
    }

    @Test
    void registryStartingLateIsReachedThroughRetries() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient("http://127.0.0.1:" + port);
        int finalPort = port;
        Thread starter = new Thread(() -> {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            InProcessSchemaRegistry late = InProcessSchemaRegistry.start(finalPort);
            lateServer = late;
        });
        starter.start();
        try {
            assertEquals(1, client.register("late-value", Trade.getClassSchema()));
        } finally {
            starter.join();
            if (lateServer != null) {
                lateServer.close();
            }
        }
    }

    private volatile InProcessSchemaRegistry lateServer;

    @Test
    void rejectsAUrlThatIsNotHttp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HttpSchemaRegistryClient("localhost:8081"));
        assertTrue(e.getMessage().contains("localhost:8081"), e.getMessage());
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthAndKeptOutOfMessages() throws Exception {
        java.util.List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer fake = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"error_code\":40101,\"message\":\"Unauthorized\"}".getBytes();
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            String url = "http://api-key:s3cr%40t@127.0.0.1:" + fake.getAddress().getPort();
            SchemaRegistryException e = assertThrows(SchemaRegistryUnavailableException.class,
                    () -> new HttpSchemaRegistryClient(url).getById(1));
            assertEquals(List.of("Basic " + java.util.Base64.getEncoder().encodeToString("api-key:s3cr@t".getBytes())),
                    authorizations);
            assertEquals(401, e.httpStatus());
            assertEquals(40101, e.errorCode());
            assertTrue(!e.getMessage().contains("s3cr"), e.getMessage());
            assertTrue(e.getMessage().contains("http://127.0.0.1:" + fake.getAddress().getPort() + "/schemas/ids/1"),
                    e.getMessage());
        } finally {
            fake.stop(0);
        }
    }

    private static String schemaAnswer() {
        return "{\"schema\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(Trade.getClassSchema().toString())
                + "}";
    }

    @Test
    void serverErrorsAndBrokenConnectionsAreRetriedUntilTheRegistryRecovers() throws Exception {
        try (ScriptedRegistryServer flaky = new ScriptedRegistryServer((n, exchange) -> switch (n) {
            case 1 -> ScriptedRegistryServer.Answer.json(500, "{\"error_code\": 50001, \"message\": \"store down\"}");
            case 2 -> ScriptedRegistryServer.Answer.hangUp();
            case 3 -> ScriptedRegistryServer.Answer.json(503, "<html>Service Unavailable</html>");
            default -> ScriptedRegistryServer.Answer.json(200, schemaAnswer());
        })) {
            assertEquals(Trade.getClassSchema(), new HttpSchemaRegistryClient(flaky.url()).getById(7));
            assertEquals(4, flaky.requests());
        }
    }

    @Test
    void aRegistryThatKeepsFailingIsUnavailableAndTheOutageIsNotRemembered() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean healthy = new java.util.concurrent.atomic.AtomicBoolean();
        try (ScriptedRegistryServer registry = new ScriptedRegistryServer((n, exchange) -> healthy.get()
                ? ScriptedRegistryServer.Answer.json(200, schemaAnswer())
                : ScriptedRegistryServer.Answer.json(500, "{\"error_code\": 50001, \"message\": \"store down\"}"))) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());
            SchemaRegistryUnavailableException e = assertThrows(SchemaRegistryUnavailableException.class,
                    () -> client.getById(7));
            assertEquals(500, e.httpStatus());
            assertEquals(50001, e.errorCode());
            assertFalse(e.isNotFound());
            assertEquals("cannot fetch schema id 7: GET " + registry.url() + "/schemas/ids/7 answered HTTP 500"
                    + " error_code 50001: store down (5 attempts)", e.getMessage());
            assertEquals(HttpSchemaRegistryClient.ATTEMPTS, registry.requests());

            healthy.set(true);
            assertEquals(Trade.getClassSchema(), client.getById(7));
            assertEquals(HttpSchemaRegistryClient.ATTEMPTS + 1, registry.requests());
        }
    }

    @Test
    void anUnknownIdIsAnAnswerRememberedBriefly() throws Exception {
        long[] now = {0};
        try (ScriptedRegistryServer registry = new ScriptedRegistryServer((n, exchange) ->
                ScriptedRegistryServer.Answer.json(404, "{\"error_code\": 40403, \"message\": \"Schema 9 not found\"}"))) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url(), () -> now[0]);
            SchemaRegistryException first = assertThrows(SchemaRegistryException.class, () -> client.getById(9));
            assertTrue(first.isNotFound());
            assertFalse(first instanceof SchemaRegistryUnavailableException);
            assertEquals(1, registry.requests(), "a 404 is not retried");

            now[0] += HttpSchemaRegistryClient.NOT_FOUND_TTL.toNanos() - 1;
            SchemaRegistryException remembered = assertThrows(SchemaRegistryException.class, () -> client.getById(9));
            assertTrue(remembered.isNotFound());
            assertEquals(first.getMessage(), remembered.getMessage());
            assertEquals(1, registry.requests());

            now[0] += 2;
            assertThrows(SchemaRegistryException.class, () -> client.getById(9));
            assertEquals(2, registry.requests(), "asked again once the answer expired");
        }
    }

    @Test
    void aNotFoundThatIsNotTheRegistrysIsUnavailable() throws Exception {
        try (ScriptedRegistryServer proxy = new ScriptedRegistryServer((n, exchange) ->
                ScriptedRegistryServer.Answer.json(404, "<html>Not Found</html>"))) {
            SchemaRegistryUnavailableException e = assertThrows(SchemaRegistryUnavailableException.class,
                    () -> new HttpSchemaRegistryClient(proxy.url()).getById(3));
            assertEquals(404, e.httpStatus());
            assertEquals(1, proxy.requests());
        }
    }

    @Test
    void credentialsStayOutOfToStringAndOfErrorsAboutTheUrl() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient("https://api-key:s3cret@registry:8081/");
        assertEquals("HttpSchemaRegistryClient[https://registry:8081, basic auth]", client.toString());
        assertEquals("https://registry:8081", client.baseUrl());

        for (String bad : new String[] {"http://api-key:s3cret@regi stry:8081", "ftp://api-key:s3cret@registry",
                "http://api-key:s3cret%zz@registry:8081"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HttpSchemaRegistryClient(bad));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains("s3cret"), t.getMessage());
            }
        }
        IllegalArgumentException space = assertThrows(IllegalArgumentException.class,
                () -> new HttpSchemaRegistryClient("http://api-key:s3cret@regi stry:8081"));
        assertEquals("schema registry URL is not a URL: Illegal character in authority at index 7 of "
                + "http://***@regi stry:8081", space.getMessage());
    }

    @Test
    void anIncompatibleSchemaIsAnAnswerNotAnOutage() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());
        client.register("q-value", InMemorySchemaRegistryTest.V1);
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client.register("q-value", InMemorySchemaRegistryTest.V3_ADDS_FIELD_WITHOUT_DEFAULT));
        assertFalse(e instanceof SchemaRegistryUnavailableException);
        assertEquals(409, e.httpStatus());
        assertEquals(409, e.errorCode());
        assertTrue(e.getMessage().contains("incompatible with an earlier schema for subject \"q-value\""),
                e.getMessage());
    }
}
