package io.riptide.schemas.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 that answers each request as a test script says (the JDK's own server, so the client
 * under test meets real sockets), and records what it was asked.
 */
public final class ScriptedRegistryServer implements AutoCloseable {

    /** What to answer; {@code status} 0 closes the connection without answering. */
    public record Answer(int status, String body) {
        public static Answer json(int status, String body) {
            return new Answer(status, body);
        }

        public static Answer hangUp() {
            return new Answer(0, "");
        }
    }

    /** Picks the answer to the {@code n}-th request (1-based). */
    public interface Script {
        Answer answer(int n, HttpExchange exchange);
    }

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    public ScriptedRegistryServer(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(authorization == null ? "" : authorization);
                Answer answer = script.answer(requests.incrementAndGet(), exchange);
                if (answer.status() == 0) {
                    return;
                }
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
                exchange.sendResponseHeaders(answer.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int requests() {
        return requests.get();
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
