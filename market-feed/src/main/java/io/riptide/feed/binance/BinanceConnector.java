package io.riptide.feed.binance;

import io.riptide.feed.MarketEventSink;
import io.riptide.feed.binance.internal.BinanceMessage;
import io.riptide.feed.binance.internal.BinanceMessageParser;
import io.riptide.feed.binance.internal.BinanceStreamProcessor;
import io.riptide.feed.binance.internal.DepthSnapshot;
import io.riptide.feed.binance.internal.RequestWeightLimiter;
import io.riptide.feed.binance.internal.SymbolFeed;
import io.riptide.feed.replay.MalformedLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Live Binance market data: one combined-stream websocket for diff depth, trades, bookTicker (and forceOrder on
 * USD-M), REST depth snapshots, local books kept by the documented procedure, records handed to a
 * {@link MarketEventSink} from the thread that calls {@link #run()}.
 *
 * <p>Resilience: reconnects with exponential backoff (books are rebuilt from new snapshots after every reconnect),
 * reconnects proactively before Binance's 24-hour cut, answers pings (the JDK websocket replies to each ping with a
 * pong), and keeps snapshot requests inside the request-weight budget, honouring 429/418 {@code Retry-After}.
 * A symbol the exchange rejects, or an endpoint that stays unreachable for {@code maxConsecutiveFailures} attempts,
 * ends {@link #run()} with a {@link BinanceException}.
 */
public final class BinanceConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BinanceConnector.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** A symbol whose snapshot was too old, or failed, is asked again after this long. */
    private static final long SNAPSHOT_RETRY_MS = 1_000;

    /** A failure that retrying will not fix (rejected symbol) or that retrying did not fix (unreachable endpoint). */
    public static final class BinanceException extends RuntimeException {
        public BinanceException(String message) {
            super(message);
        }
    }

    private sealed interface Frame {
        record Text(String json) implements Frame {
        }

        record Closed(int code, String reason) implements Frame {
        }

        record Failed(Throwable error) implements Frame {
        }

        /** A ping from the server: the connection is alive even when the markets are quiet. */
        record Ping() implements Frame {
        }
    }

    private final BinanceConnectorConfig config;
    private final BinanceStreamProcessor processor;
    private final BinanceMessageParser parser = new BinanceMessageParser();
    private final HttpClient http;
    private final RequestWeightLimiter weights;
    private final MalformedLines malformed = new MalformedLines();
    private final Map<String, Long> nextSnapshotAttemptMs = new HashMap<>();
    private final AtomicLong messages = new AtomicLong();
    private volatile boolean stopped;
    private volatile int connections;
    private volatile int reconnects;
    private long snapshotRequests;

    public BinanceConnector(BinanceConnectorConfig config, MarketEventSink sink) {
        this.config = config;
        this.processor = new BinanceStreamProcessor(config.market(), sink, config.bookDepth(), config.bookIntervalMs(),
                null);
        for (String s : config.symbols()) {
            processor.feed(s);
        }
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        // stay at 80 % of the published budget: other tools may share the IP
        this.weights = new RequestWeightLimiter(config.market().weightLimitPerMinute() * 4 / 5, System::currentTimeMillis);
    }

    /**
     * Streams until {@link #stop()} or interruption. Reconnects on every disconnect; throws {@link BinanceException}
     * for a rejected symbol or when the endpoint stays unreachable.
     */
    public void run() throws InterruptedException {
        run(null, Duration.ofSeconds(10));
    }

    /** Like {@link #run()}, calling {@code progress} with a one-line status at the given period. */
    public void run(Consumer<String> progress, Duration progressEvery) throws InterruptedException {
        validateSymbols();
        int failures = 0;
        long nextProgressMs = System.currentTimeMillis() + progressEvery.toMillis();
        while (!stopped) {
            BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
            WebSocket ws;
            try {
                ws = connect(frames);
            } catch (IOException | TimeoutException e) {
                failures++;
                String reason = "cannot connect to " + config.streamUri() + ": " + describe(e);
                if (config.maxConsecutiveFailures() > 0 && failures >= config.maxConsecutiveFailures()) {
                    throw new BinanceException(reason + " (gave up after " + failures + " attempts)");
                }
                long delay = backoffMs(failures);
                LOG.warn("{}; retrying in {} ms", reason, delay);
                Thread.sleep(delay);
                continue;
            }
            connections++;
            long connectedAtMs = System.currentTimeMillis();
            long lastHeardMs = connectedAtMs;
            processor.resetBooks();
            nextSnapshotAttemptMs.clear();
            String endReason = null;
            try {
                while (!stopped && endReason == null) {
                    Frame frame = frames.poll(100, TimeUnit.MILLISECONDS);
                    if (frame != null) {
                        lastHeardMs = System.currentTimeMillis();
                    }
                    if (frame instanceof Frame.Text t) {
                        failures = 0;
                        handle(t.json());
                    } else if (frame instanceof Frame.Closed c) {
                        endReason = "server closed the stream (" + c.code() + " " + c.reason() + ")";
                    } else if (frame instanceof Frame.Failed f) {
                        endReason = "stream failed: " + describe(f.error());
                    }
                    fetchDueSnapshots();
                    long now = System.currentTimeMillis();
                    if (now - connectedAtMs >= config.maxConnectionAge().toMillis()) {
                        endReason = "connection reached its maximum age of " + config.maxConnectionAge();
                    } else if (endReason == null && frames.isEmpty()
                            && now - lastHeardMs >= config.maxSilence().toMillis()) {
                        endReason = "nothing heard for " + config.maxSilence() + ", the connection is taken for dead";
                    }
                    if (progress != null && now >= nextProgressMs) {
                        progress.accept(status());
                        nextProgressMs = now + progressEvery.toMillis();
                    }
                }
            } finally {
                ws.abort();
            }
            if (!stopped) {
                reconnects++;
                failures++;
                long delay = endReason.startsWith("connection reached") ? 0 : backoffMs(failures);
                LOG.info("{}; reconnecting in {} ms", endReason, delay);
                Thread.sleep(delay);
            }
        }
    }

    /**
     * Asks the REST endpoint for a tiny book of every symbol before streaming: the websocket silently sends nothing
     * for a symbol that does not exist, so a typo would otherwise look like a quiet market.
     */
    private void validateSymbols() throws InterruptedException {
        for (String symbol : config.symbols()) {
            java.net.URI uri = java.net.URI.create(config.snapshotUri(symbol).toString().replace("limit=1000", "limit=5"));
            int failures = 0;
            while (true) {
                HttpResponse<String> response;
                try {
                    response = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    failures++;
                    String reason = "cannot reach " + config.restBase() + ": " + describe(e);
                    if (config.maxConsecutiveFailures() > 0 && failures >= config.maxConsecutiveFailures()) {
                        throw new BinanceException(reason + " (gave up after " + failures + " attempts)");
                    }
                    LOG.warn("{}; retrying", reason);
                    Thread.sleep(backoffMs(failures));
                    continue;
                }
                weights.record(2, response.headers().firstValue("X-MBX-USED-WEIGHT-1M")
                        .map(BinanceConnector::parseIntOr).orElse(-1));
                int status = response.statusCode();
                if (status >= 400 && status < 500 && status != 429 && status != 418) {
                    throw new BinanceException("Binance rejected symbol " + symbol + " on "
                            + config.market().name().toLowerCase(java.util.Locale.ROOT) + ": HTTP " + status + " "
                            + abbreviate(response.body()));
                }
                break;
            }
        }
    }

    private WebSocket connect(BlockingQueue<Frame> frames) throws IOException, TimeoutException, InterruptedException {
        try {
            return http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(config.streamUri(), new QueueingListener(frames))
                    .get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                throw new IOException("handshake refused with HTTP " + h.getResponse().statusCode(), h);
            }
            throw cause instanceof IOException io ? io : new IOException(describe(cause), cause);
        }
    }

    private void handle(String json) {
        messages.incrementAndGet();
        BinanceMessage message;
        try {
            message = parser.parse(json);
        } catch (IllegalArgumentException e) {
            malformed.record("websocket", messages.get(), e.getMessage());
            return;
        }
        if (message instanceof BinanceMessage.Snapshot) {
            malformed.record("websocket", messages.get(), "unexpected depth snapshot on the stream");
            return;
        }
        processor.onMessage(message);
    }

    private void fetchDueSnapshots() throws InterruptedException {
        List<String> symbols = processor.symbolsNeedingSnapshot();
        long now = System.currentTimeMillis();
        for (String symbol : symbols) {
            if (nextSnapshotAttemptMs.getOrDefault(symbol, 0L) > now) {
                continue;
            }
            long wait = weights.delayMs(config.market().snapshotWeight());
            if (wait > 0) {
                nextSnapshotAttemptMs.put(symbol, now + wait);
                continue;
            }
            nextSnapshotAttemptMs.put(symbol, now + SNAPSHOT_RETRY_MS);
            DepthSnapshot snapshot = fetchSnapshot(symbol);
            if (snapshot != null && !processor.onSnapshot(symbol, snapshot)) {
                LOG.info("{} snapshot {} is older than the buffered diffs; fetching another", symbol,
                        snapshot.lastUpdateId());
            }
        }
    }

    private DepthSnapshot fetchSnapshot(String symbol) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(config.snapshotUri(symbol)).timeout(REQUEST_TIMEOUT).GET().build();
        snapshotRequests++;
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.warn("depth snapshot for {} failed: {}", symbol, describe(e));
            return null;
        }
        int used = response.headers().firstValue("X-MBX-USED-WEIGHT-1M").map(BinanceConnector::parseIntOr).orElse(-1);
        weights.record(config.market().snapshotWeight(), used);
        int status = response.statusCode();
        if (status == 200) {
            try {
                return parser.parseSnapshot(response.body());
            } catch (IllegalArgumentException e) {
                LOG.warn("depth snapshot for {} unusable: {}", symbol, e.getMessage());
                return null;
            }
        }
        if (status == 429 || status == 418) {
            long retryAfterS = response.headers().firstValue("Retry-After").map(BinanceConnector::parseIntOr)
                    .filter(s -> s >= 0).orElse(60);
            weights.backOff(retryAfterS * 1000L);
            LOG.warn("Binance answered {} to a depth snapshot; no REST call for {} s", status, retryAfterS);
            return null;
        }
        if (status >= 400 && status < 500) {
            throw new BinanceException("Binance rejected " + symbol + " on " + config.market().name().toLowerCase()
                    + ": HTTP " + status + " " + abbreviate(response.body()));
        }
        LOG.warn("depth snapshot for {} answered HTTP {}", symbol, status);
        return null;
    }

    private long backoffMs(int failures) {
        long initial = config.initialBackoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long delay = Math.min(max, initial << Math.min(20, Math.max(0, failures - 1)));
        // jitter spreads reconnects of many clients after an exchange-side outage
        return delay == 0 ? 0 : delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    /** Asks {@link #run()} to return after the current message. */
    public void stop() {
        stopped = true;
    }

    @Override
    public void close() {
        stop();
    }

    /** One-line status: connections, messages, and each book's health. */
    public String status() {
        StringBuilder sb = new StringBuilder();
        sb.append("connections ").append(connections).append(", messages ").append(messages.get())
                .append(", trades ").append(processor.trades()).append(", liquidations ").append(processor.liquidations())
                .append(", snapshot requests ").append(snapshotRequests).append(", ").append(malformed.summary());
        for (SymbolFeed f : processor.feeds()) {
            sb.append(" | ").append(f.summary());
        }
        return sb.toString();
    }

    public List<SymbolFeed> feeds() {
        return processor.feeds();
    }

    public int connections() {
        return connections;
    }

    public int reconnects() {
        return reconnects;
    }

    public long messages() {
        return messages.get();
    }

    public long trades() {
        return processor.trades();
    }

    public long liquidations() {
        return processor.liquidations();
    }

    public long snapshotRequests() {
        return snapshotRequests;
    }

    public MalformedLines malformed() {
        return malformed;
    }

    private static int parseIntOr(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "connect timed out";
            }
        }
        Throwable t = e;
        while ((t instanceof ExecutionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
    }

    /** Hands whole text messages to the processing thread; never blocks the HTTP client's threads. */
    private static final class QueueingListener implements WebSocket.Listener {
        private final BlockingQueue<Frame> frames;
        private final StringBuilder partial = new StringBuilder();

        QueueingListener(BlockingQueue<Frame> frames) {
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(new Frame.Text(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            // the JDK implementation has already queued the pong reply; just keep reading
            frames.add(new Frame.Ping());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            frames.add(new Frame.Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            frames.add(new Frame.Failed(error));
        }
    }
}
