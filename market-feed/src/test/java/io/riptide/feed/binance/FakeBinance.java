package io.riptide.feed.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.riptide.feed.binance.internal.LocalOrderBook;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Binance that replays a recorded capture: a websocket server streams the recorded frames in
 * order, an HTTP server answers depth-snapshot requests. The stream pauses where the recorder fetched its snapshot
 * until the client asks for one, and then serves the recorded snapshot; later requests (after a resync) get the
 * book as the exchange holds it at that moment, rebuilt from every frame including any the test chose not to send.
 */
final class FakeBinance implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines;
    private final String symbol;
    private final int dropDepthFrameAfterSnapshot;
    private volatile long pauseNanosPerFrame;
    private volatile boolean hangUpAfterStream;
    private volatile boolean silentAfterStream;
    private volatile long pingEveryMsAfterStream;
    private final TestWebSocketServer ws;
    private final HttpServer http;
    private final Object lock = new Object();
    private final AtomicInteger snapshotRequests = new AtomicInteger();
    private final AtomicInteger generation = new AtomicInteger();
    private final String recordedSnapshot;
    private volatile CountDownLatch snapshotServed = new CountDownLatch(1);
    private volatile boolean pongReceived;
    private volatile boolean streamedEverything;
    private LocalOrderBook truth;
    private long truthUpdateId = -1;
    private int servedThisConnection;

    /**
     * @param lines                       capture lines ({@code <ts_ns> <json>})
     * @param dropDepthFrameAfterSnapshot 1-based index of a diff after the snapshot not to send, or 0
     */
    FakeBinance(List<String> lines, String symbol, int dropDepthFrameAfterSnapshot) throws IOException {
        this.lines = lines;
        this.symbol = symbol;
        this.dropDepthFrameAfterSnapshot = dropDepthFrameAfterSnapshot;
        this.recordedSnapshot = lines.stream().map(l -> l.substring(l.indexOf(' ') + 1))
                .filter(j -> !j.contains("\"stream\"")).findFirst().orElseThrow();
        this.ws = new TestWebSocketServer(this::stream);
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::depth);
        http.start();
    }

    /** Spreads the stream out in time, as the exchange would, instead of sending it all at once. */
    FakeBinance pacedAt(long nanosPerFrame) {
        this.pauseNanosPerFrame = nanosPerFrame;
        return this;
    }

    /** Closes the TCP connection without a close frame once everything is sent, like a dropped network link. */
    FakeBinance hangingUpAfterStream() {
        this.hangUpAfterStream = true;
        return this;
    }

    /** After the recording, sends only pings, one every {@code everyMs}: a live connection on a quiet market. */
    FakeBinance pingingAfterStream(long everyMs) {
        this.pingEveryMsAfterStream = everyMs;
        return this;
    }

    /** After the recording, sends nothing more (no ping either) and keeps the socket open: a dead connection. */
    FakeBinance silentAfterStream() {
        this.silentAfterStream = true;
        return this;
    }

    URI webSocketBase() {
        return URI.create("ws://127.0.0.1:" + ws.port());
    }

    URI restBase() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    int snapshotRequests() {
        return snapshotRequests.get();
    }

    int connections() {
        return ws.sessions().size();
    }

    boolean pongReceived() {
        return pongReceived;
    }

    boolean streamedEverything() {
        return streamedEverything;
    }

    String firstPath() {
        return ws.sessions().get(0).path();
    }

    private void stream(TestWebSocketServer.Session session) {
        int myGeneration = generation.incrementAndGet();
        synchronized (lock) {
            truth = null;
            truthUpdateId = -1;
            servedThisConnection = 0;
            snapshotServed = new CountDownLatch(1);
        }
        int depthAfterSnapshot = 0;
        try {
            for (String line : lines) {
                if (generation.get() != myGeneration || !session.isOpen()) {
                    return;
                }
                String json = line.substring(line.indexOf(' ') + 1);
                JsonNode node = JSON.readTree(json);
                if (!node.has("stream")) {
                    synchronized (lock) {
                        truth = new LocalOrderBook();
                        node.get("bids").forEach(l -> truth.applyBid(l.get(0).asText(), l.get(1).asText()));
                        node.get("asks").forEach(l -> truth.applyAsk(l.get(0).asText(), l.get(1).asText()));
                        truthUpdateId = node.get("lastUpdateId").asLong();
                    }
                    // the recorder took its snapshot here: hold the stream until the client has taken one too
                    snapshotServed.await(10, TimeUnit.SECONDS);
                    continue;
                }
                synchronized (lock) {
                    JsonNode data = node.get("data");
                    boolean depth = node.get("stream").asText().contains("@depth");
                    boolean send = true;
                    if (depth && truth != null && data.get("u").asLong() > truthUpdateId) {
                        data.get("b").forEach(l -> truth.applyBid(l.get(0).asText(), l.get(1).asText()));
                        data.get("a").forEach(l -> truth.applyAsk(l.get(0).asText(), l.get(1).asText()));
                        truthUpdateId = data.get("u").asLong();
                        depthAfterSnapshot++;
                        send = depthAfterSnapshot != dropDepthFrameAfterSnapshot;
                    }
                    if (send) {
                        session.sendText(json);
                    }
                }
                if (pauseNanosPerFrame > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(pauseNanosPerFrame);
                }
            }
            streamedEverything = true;
            if (hangUpAfterStream) {
                session.close();
                return;
            }
            if (silentAfterStream) {
                return;
            }
            while (pingEveryMsAfterStream > 0 && generation.get() == myGeneration && session.isOpen()) {
                session.sendPing("still-here".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(pingEveryMsAfterStream);
            }
            session.sendPing("are-you-there".getBytes(StandardCharsets.US_ASCII));
            pongReceived = session.awaitPong(5_000);
        } catch (IOException | InterruptedException e) {
            session.close();
        }
    }

    private void depth(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        String body;
        int status = 200;
        if (query == null || !query.contains("symbol=" + symbol)) {
            status = 400;
            body = "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}";
        } else if (!query.contains("limit=1000")) {
            body = recordedSnapshot;
        } else {
            snapshotRequests.incrementAndGet();
            synchronized (lock) {
                if (servedThisConnection++ == 0 || truth == null) {
                    body = recordedSnapshot;
                } else {
                    body = currentBook();
                }
            }
            snapshotServed.countDown();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-MBX-USED-WEIGHT-1M", "50");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String currentBook() {
        StringBuilder sb = new StringBuilder("{\"lastUpdateId\":").append(truthUpdateId).append(",\"bids\":[");
        appendLevels(sb, truth.topBids(1000));
        sb.append("],\"asks\":[");
        appendLevels(sb, truth.topAsks(1000));
        return sb.append("]}").toString();
    }

    private static void appendLevels(StringBuilder sb, List<LocalOrderBook.Level> levels) {
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("[\"").append(levels.get(i).priceText()).append("\",\"").append(levels.get(i).qtyText())
                    .append("\"]");
        }
    }

    @Override
    public void close() throws IOException {
        generation.incrementAndGet();
        ws.close();
        http.stop(0);
    }
}
