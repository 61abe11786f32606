package io.riptide.feed.replay;

import io.riptide.feed.MarketEventSink;
import io.riptide.feed.binance.BinanceMarket;
import io.riptide.feed.binance.internal.BinanceMessage;
import io.riptide.feed.binance.internal.BinanceMessageParser;
import io.riptide.feed.binance.internal.BinanceStreamProcessor;
import io.riptide.feed.binance.internal.BookRowListener;
import io.riptide.feed.binance.internal.SymbolFeed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Replays a Binance websocket capture: files of {@code <local_receive_ts_ns> <combined-stream json>} lines (gzip or
 * plain), one file per symbol and day, named {@code <symbol>_<date>[.gz]}, with the REST depth snapshot as a bare
 * JSON line. Books are rebuilt with the live connector's code; files of one symbol in one folder form one stream
 * (in name order) and streams are merged by receive time. The market (spot or USD-M) of each stream is recognised
 * from its diff-depth messages ({@code pu} exists only on futures).
 */
public final class CaptureReplay {

    private final List<Path> inputs;
    private final String symbolFilter;
    private final int depth;
    private final long bookIntervalMs;
    private final double speed;
    private final BookRowListener dump;
    private final MalformedLines malformed = new MalformedLines();
    private final Map<BinanceMarket, BinanceStreamProcessor> processors = new EnumMap<>(BinanceMarket.class);
    private final List<String> notes = new ArrayList<>();
    private long lines;

    /**
     * @param inputs         capture files or folders (searched recursively)
     * @param symbolFilter   only this symbol (case-insensitive), or null for all
     * @param depth          levels per side in emitted BookSnapshots (1..20)
     * @param bookIntervalMs event-time cadence of BookSnapshots; 0 emits one per applied diff
     * @param speed          0 = as fast as possible, N = N times real time
     * @param dump           receives every rebuilt book, or null; requires the replay to cover exactly one book
     */
    public CaptureReplay(List<Path> inputs, String symbolFilter, int depth, long bookIntervalMs, double speed,
                         BookRowListener dump) {
        this.inputs = List.copyOf(inputs);
        this.symbolFilter = symbolFilter == null ? null : symbolFilter.toLowerCase(Locale.ROOT);
        this.depth = depth;
        this.bookIntervalMs = bookIntervalMs;
        this.speed = speed;
        this.dump = dump;
    }

    /** Replays everything into {@code sink}; malformed lines are counted, not fatal. */
    public void run(MarketEventSink sink) throws IOException, InterruptedException {
        List<Stream> streams = streams();
        if (dump != null && streams.size() != 1) {
            throw new IllegalArgumentException("--dump-books writes one book, but the capture holds " + streams.size()
                    + " (" + streams.stream().map(s -> s.name).toList() + "): choose one with --symbol or one folder");
        }
        ReplayPacer pacer = new ReplayPacer(speed);
        BinanceMessageParser parser = new BinanceMessageParser();
        PriorityQueue<Stream> queue = new PriorityQueue<>(Comparator.comparingLong((Stream s) -> s.receiveNanos)
                .thenComparingInt(s -> s.order));
        try {
            for (Stream s : streams) {
                s.market = sniffMarket(s);
                if (s.advance()) {
                    queue.add(s);
                }
            }
            while (!queue.isEmpty()) {
                Stream s = queue.poll();
                pacer.awaitEventTime(s.receiveNanos / 1_000_000);
                handle(s, parser, sink);
                if (s.advance()) {
                    queue.add(s);
                }
            }
        } finally {
            for (Stream s : streams) {
                s.close();
            }
        }
        for (BinanceStreamProcessor p : processors.values()) {
            for (SymbolFeed f : p.feeds()) {
                if (f.needsSnapshot()) {
                    notes.add(f.instrument() + " ended without a synced book (" + (f.synchronizer().lastGap() == null
                            ? "no usable snapshot" : "gap " + f.synchronizer().lastGap()
                            + " and no later snapshot in the capture") + ")");
                }
            }
        }
    }

    private void handle(Stream s, BinanceMessageParser parser, MarketEventSink sink) {
        lines++;
        BinanceStreamProcessor processor = processors.computeIfAbsent(s.market,
                m -> new BinanceStreamProcessor(m, sink, depth, bookIntervalMs, dump));
        BinanceMessage message;
        try {
            message = parser.parse(s.json);
        } catch (IllegalArgumentException e) {
            malformed.record(s.currentFile.toString(), s.lineNumber, e.getMessage());
            return;
        }
        if (message instanceof BinanceMessage.Snapshot snap) {
            if (!processor.onSnapshot(s.symbol, snap.snapshot())) {
                notes.add(s.name + ": snapshot " + snap.snapshot().lastUpdateId() + " at " + s.currentFile + ":"
                        + s.lineNumber + " is older than the buffered diffs");
            }
        } else {
            processor.onMessage(message);
        }
    }

    private BinanceMarket sniffMarket(Stream s) throws IOException {
        BinanceMessageParser parser = new BinanceMessageParser();
        for (Path file : s.files) {
            try (BufferedReader r = open(file)) {
                String line;
                int scanned = 0;
                while ((line = r.readLine()) != null && scanned++ < 10_000) {
                    int space = line.indexOf(' ');
                    if (space < 0 || !line.contains("depthUpdate")) {
                        continue;
                    }
                    try {
                        if (parser.parse(line.substring(space + 1)) instanceof BinanceMessage.Depth d) {
                            return d.update().futuresStyle() ? BinanceMarket.USDM : BinanceMarket.SPOT;
                        }
                    } catch (IllegalArgumentException ignored) {
                        // a malformed line is reported when it is replayed
                    }
                }
            }
        }
        // no depth at all: the folder name is the only hint left
        return s.name.contains("usdm") || s.name.contains("futures") ? BinanceMarket.USDM : BinanceMarket.SPOT;
    }

    private List<Stream> streams() throws IOException {
        Map<String, List<Path>> bySymbol = new LinkedHashMap<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                throw new IllegalArgumentException("capture path does not exist: " + input);
            }
            List<Path> files;
            if (Files.isDirectory(input)) {
                try (var walk = Files.walk(input)) {
                    files = walk.filter(Files::isRegularFile).filter(CaptureReplay::looksLikeCapture).sorted().toList();
                }
            } else {
                files = List.of(input);
            }
            for (Path f : files) {
                String symbol = symbolOf(f);
                if (symbolFilter != null && !symbol.equals(symbolFilter)) {
                    continue;
                }
                Path parent = f.toAbsolutePath().getParent();
                String key = (parent == null ? "" : parent.getFileName() + "/") + symbol;
                bySymbol.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
            }
        }
        if (bySymbol.isEmpty()) {
            throw new IllegalArgumentException("no capture files" + (symbolFilter == null ? "" : " for symbol "
                    + symbolFilter.toUpperCase(Locale.ROOT)) + " in " + inputs);
        }
        List<Stream> out = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : bySymbol.entrySet()) {
            List<Path> files = new ArrayList<>(e.getValue());
            files.sort(Comparator.comparing(p -> p.getFileName().toString()));
            out.add(new Stream(e.getKey(), symbolOf(files.get(0)).toUpperCase(Locale.ROOT), files, out.size()));
        }
        return out;
    }

    private static boolean looksLikeCapture(Path p) {
        String name = p.getFileName().toString();
        return !name.endsWith(".md") && !name.startsWith(".") && name.contains("_");
    }

    static String symbolOf(Path file) {
        String name = file.getFileName().toString();
        int underscore = name.indexOf('_');
        String symbol = underscore > 0 ? name.substring(0, underscore) : name.replaceFirst("\\..*$", "");
        return symbol.toLowerCase(Locale.ROOT);
    }

    static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    public MalformedLines malformed() {
        return malformed;
    }

    public long lines() {
        return lines;
    }

    /** Per-book health, one line each. */
    public List<String> summaries() {
        List<String> out = new ArrayList<>();
        for (BinanceStreamProcessor p : processors.values()) {
            for (SymbolFeed f : p.feeds()) {
                out.add(f.summary());
            }
            out.add(p.market() + ": " + p.trades() + " trades, " + p.liquidations() + " liquidations");
        }
        return out;
    }

    /** Problems that are not malformed lines (e.g. a book left unsynced). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    public List<SymbolFeed> feeds() {
        List<SymbolFeed> out = new ArrayList<>();
        processors.values().forEach(p -> out.addAll(p.feeds()));
        return out;
    }

    /** One symbol's files, read line by line. */
    private final class Stream {
        final String name;
        final String symbol;
        final List<Path> files;
        final int order;
        BinanceMarket market;
        int fileIndex = -1;
        BufferedReader reader;
        Path currentFile;
        long lineNumber;
        long receiveNanos;
        String json;

        Stream(String name, String symbol, List<Path> files, int order) {
            this.name = name;
            this.symbol = symbol;
            this.files = files;
            this.order = order;
        }

        /** Moves to the next well-formed line; false at the end. Lines without a timestamp are malformed. */
        boolean advance() throws IOException {
            while (true) {
                if (reader == null) {
                    if (++fileIndex >= files.size()) {
                        return false;
                    }
                    currentFile = files.get(fileIndex);
                    reader = open(currentFile);
                    lineNumber = 0;
                }
                String line;
                try {
                    line = reader.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + currentFile + " after line " + lineNumber + ": "
                            + e.getMessage(), e);
                }
                if (line == null) {
                    reader.close();
                    reader = null;
                    continue;
                }
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                int space = line.indexOf(' ');
                try {
                    if (space <= 0) {
                        throw new NumberFormatException();
                    }
                    long ts = Long.parseLong(line, 0, space, 10);
                    // receive times run forward; a step back would reorder the merge, so keep the last one
                    receiveNanos = Math.max(receiveNanos, ts);
                } catch (NumberFormatException e) {
                    malformed.record(currentFile.toString(), lineNumber,
                            "expected '<receive_ts_ns> <json>', got '" + abbreviate(line) + "'");
                    continue;
                }
                json = line.substring(space + 1);
                return true;
            }
        }

        void close() throws IOException {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }

    static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
