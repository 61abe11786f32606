package io.riptide.app.services.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket, no driver binary): load a page,
 * evaluate JavaScript in it, and click an element with real mouse events at its position on the page.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    /** The browser binary, if this machine has one ({@code RIPTIDE_CHROMIUM} overrides). */
    static Optional<Path> binary() {
        String override = System.getenv("RIPTIDE_CHROMIUM");
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override));
        }
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    HeadlessChromium(Path binary) throws Exception {
        profile = Files.createTempDirectory("riptide-chromium-");
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.isRegularFile(profile.resolve("chromium.log"))
                        ? Files.readString(profile.resolve("chromium.log")) : "";
                close();
                throw new IllegalStateException("chromium did not open its DevTools port: " + log);
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
        String page = null;
        for (JsonNode t : targets) {
            if (t.path("type").asText().equals("page")) {
                page = t.get("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (page == null) {
            close();
            throw new IllegalStateException("chromium has no page target: " + targets);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String message = partial.toString();
                    partial.setLength(0);
                    try {
                        JsonNode node = JSON.readTree(message);
                        if (node.has("id")) {
                            CompletableFuture<JsonNode> f = pending.remove(node.get("id").asInt());
                            if (f != null) {
                                f.complete(node);
                            }
                        }
                    } catch (IOException e) {
                        // not ours to understand
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        call("Page.enable", JSON.createObjectNode());
        call("Runtime.enable", JSON.createObjectNode());
    }

    private JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(message.toString(), true).join();
        try {
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.get("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + " got no answer: " + e, e);
        }
    }

    void navigate(String url) {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
        await("the page to load", Duration.ofSeconds(30), "document.readyState === 'complete'", v -> v.asBoolean());
    }

    /** Evaluates an expression in the page and returns its value (awaiting a promise). */
    JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + result.get("exceptionDetails"));
        }
        return result.at("/result/value");
    }

    /** Waits until the expression's value satisfies the condition; returns that value. */
    JsonNode await(String what, Duration timeout, String expression, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = evaluate(expression);
            if (last != null && !last.isMissingNode() && !last.isNull() && condition.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value " + last);
    }

    /** Clicks the centre of the first element matching the CSS selector with mouse events, as a person would. */
    void click(String selector) {
        String quoted = JSON.valueToTree(selector).toString();
        JsonNode box = evaluate("(() => { const e = document.querySelector(" + quoted + "); if (!e) return null;"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width}; })()");
        if (box == null || box.isNull() || box.isMissingNode() || box.get("w").asDouble() == 0) {
            throw new AssertionError("nothing visible to click at " + selector);
        }
        double x = box.get("x").asDouble();
        double y = box.get("y").asDouble();
        mouse("mouseMoved", x, y, 0);
        mouse("mousePressed", x, y, 1);
        mouse("mouseReleased", x, y, 1);
    }

    private void mouse(String type, double x, double y, int clicks) {
        ObjectNode params = JSON.createObjectNode().put("type", type).put("x", x).put("y", y);
        if (clicks > 0) {
            params.put("button", "left").put("clickCount", clicks);
        }
        call("Input.dispatchMouseEvent", params);
    }

    /** A PNG of the page, for a person to look at when a test fails. */
    byte[] screenshot() {
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot",
                JSON.createObjectNode().put("format", "png")).get("data").asText());
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.abort();
            }
        } finally {
            // Chromium's helpers (renderer, network service) outlive a killed parent and go on writing its profile.
            List<ProcessHandle> helpers = process.descendants().toList();
            process.destroy();
            helpers.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                for (ProcessHandle helper : helpers) {
                    if (helper.isAlive()) {
                        helper.destroyForcibly();
                    }
                    helper.onExit().get(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // a helper that will not die leaves files behind, which the delete below tolerates
            }
            deleteTolerantly(profile);
        }
    }

    /** Removes the profile; a file that vanishes or appears while it walks is not a test failure. */
    private static void deleteTolerantly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    d.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind
        }
    }
}
