package io.riptide.feed.replay;

import io.riptide.feed.CaptureFiles;
import io.riptide.feed.CollectingSink;
import io.riptide.feed.SharedData;
import io.riptide.feed.binance.internal.SymbolFeed;
import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureReplayTest {

    @TempDir
    Path temp;

    @Test
    void spotSliceRebuildsABookThatMatchesEveryBookTickerWithTheSameUpdateId() throws Exception {
        CollectingSink sink = new CollectingSink();
        CaptureReplay replay = new CaptureReplay(List.of(SharedData.resource("binance-capture/spot")), null, 20,
                1_000, 0, null);
        replay.run(sink);

        SymbolFeed feed = single(replay);
        assertEquals("BINANCE:BTCUSDT", feed.instrument());
        assertHealthy(feed, 20);
        assertEquals(0, replay.malformed().count());
        assertEquals(518, sink.trades.size());
        Trade first = sink.trades.get(0);
        assertEquals(1723161255342L, first.getExchangeTimeMs(), "trade time T, not receive time");
        assertEquals(Side.SELL, first.getAggressorSide(), "m=true: the buyer was the maker");
        assertEquals("3735683259", first.getTradeId().toString());
        CaptureFiles.assertBooksValid(sink.books, 1_000);
    }

    @Test
    void usdmSliceChainsDiffsByPreviousFinalUpdateId() throws Exception {
        CollectingSink sink = new CollectingSink();
        CaptureReplay replay = new CaptureReplay(List.of(SharedData.resource("binance-capture/usdm")), null, 20,
                1_000, 0, null);
        replay.run(sink);

        SymbolFeed feed = single(replay);
        assertEquals("BINANCE-USDM:BTCUSDT", feed.instrument());
        assertHealthy(feed, 20);
        assertEquals(469, sink.trades.size());
        CaptureFiles.assertBooksValid(sink.books, 1_000);
    }

    @Test
    void aDroppedDiffIsDetectedAsAGapAndNoFurtherBookIsEmitted() throws Exception {
        Path spot = temp.resolve("spot");
        Files.createDirectories(spot);
        List<String> lines = CaptureFiles.readAll(SharedData.resource("binance-capture/spot/btcusdt_20240808.gz"));
        int dropped = nthIndexOf(lines, "depthUpdate", 100);
        String droppedLine = lines.remove(dropped);
        long droppedFirstId = Long.parseLong(droppedLine.replaceAll(".*\"U\":(\\d+).*", "$1"));
        CaptureFiles.writeGzip(spot.resolve("btcusdt_20240808.gz"), lines);

        CollectingSink sink = new CollectingSink();
        CaptureReplay replay = new CaptureReplay(List.of(spot), null, 20, 0, 0, null);
        replay.run(sink);

        SymbolFeed feed = single(replay);
        assertEquals(1, feed.synchronizer().gaps());
        assertTrue(feed.synchronizer().lastGap().startsWith("U="), feed.synchronizer().lastGap());
        assertEquals(0, feed.tickerMismatches(), "no book is emitted from a broken chain: " + feed.firstMismatch());
        assertTrue(replay.notes().get(0).contains("without a synced book"), replay.notes().toString());
        long lastBookUpdate = sink.books.get(sink.books.size() - 1).getUpdateId();
        assertEquals(droppedFirstId - 1, lastBookUpdate, "the last book is the one just before the missing diff");
    }

    @Test
    void malformedLinesAreCountedWithLineNumbersAndTheReplayGoesOn() throws Exception {
        Path spot = temp.resolve("spot");
        Files.createDirectories(spot);
        List<String> lines = CaptureFiles.readAll(SharedData.resource("binance-capture/spot/btcusdt_20240808.gz"));
        // line 3 after insertion: not even a timestamp; line 11: broken JSON on a bookTicker, harmless to the book
        lines.add(2, "garbage without timestamp");
        lines.add(10, "1723161254087891268 {\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":1,");
        CaptureFiles.writeGzip(spot.resolve("btcusdt_20240808.gz"), lines);

        CollectingSink sink = new CollectingSink();
        CaptureReplay replay = new CaptureReplay(List.of(spot), null, 20, 1_000, 0, null);
        replay.run(sink);

        assertEquals(2, replay.malformed().count());
        assertTrue(replay.malformed().samples().get(0).endsWith(":3: expected '<receive_ts_ns> <json>', got "
                + "'garbage without timestamp'"), replay.malformed().samples().toString());
        assertTrue(replay.malformed().samples().get(1).contains(":11: not JSON"), replay.malformed().samples().toString());
        assertHealthy(single(replay), 20);
    }

    @Test
    void dumpBooksWritesOneRowPerAppliedDiffWithTheExchangeDecimalStrings() throws Exception {
        Path csv = temp.resolve("books.csv");
        CaptureReplay replay;
        try (BookCsvDumper dumper = new BookCsvDumper(csv)) {
            replay = new CaptureReplay(List.of(SharedData.resource("binance-capture/spot")), null, 20, 1_000, 0, dumper);
            replay.run(new CollectingSink());
        }
        List<String> rows = Files.readAllLines(csv);
        SymbolFeed feed = single(replay);
        assertEquals(BookCsvDumper.header(), rows.get(0));
        assertEquals(2 + 4 * 20, rows.get(0).split(",", -1).length);
        assertEquals(feed.synchronizer().applied(), rows.size() - 1);
        String[] firstRow = rows.get(1).split(",", -1);
        assertEquals(82, firstRow.length);
        assertTrue(firstRow[2].matches("\\d+\\.\\d{8}"), "price as sent: " + firstRow[2]);
        assertTrue(Double.parseDouble(firstRow[2]) < Double.parseDouble(firstRow[42]), "bid below ask");
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            assertTrue(Double.parseDouble(cells[2]) < Double.parseDouble(cells[42]), "crossed row " + row);
        }
    }

    @Test
    void fullCaptureRebuildsAllFourBooksWithoutGapsOrCrossingAndAgreesWithBookTicker() throws Exception {
        Path capture = SharedData.require("binance-ws-2024-08-08");
        CollectingSink sink = new CollectingSink();
        CaptureReplay replay = new CaptureReplay(List.of(capture), null, 20, 1_000, 0, null);
        replay.run(sink);

        List<SymbolFeed> feeds = replay.feeds();
        assertEquals(4, feeds.size(), replay.summaries().toString());
        for (SymbolFeed feed : feeds) {
            System.out.println(feed.summary());
            assertHealthy(feed, 300);
        }
        assertEquals(0, replay.malformed().count(), replay.malformed().summary());
        assertEquals(9_757 + 10_147 + 6_106 + 8_409 + 21_313 + 14_076, sink.trades.size());
        assertTrue(replay.notes().isEmpty(), replay.notes().toString());
    }

    static void assertHealthy(SymbolFeed feed, long minTickerMatches) {
        assertTrue(feed.synchronizer().isSynced(), feed.summary());
        assertEquals(0, feed.synchronizer().gaps(), feed.summary());
        assertEquals(0, feed.crossedBooks(), feed.summary());
        assertEquals(0, feed.tickerMismatches(), feed.firstMismatch());
        assertTrue(feed.tickerMatches() >= minTickerMatches, feed.summary());
    }

    private static SymbolFeed single(CaptureReplay replay) {
        assertEquals(1, replay.feeds().size(), replay.summaries().toString());
        return replay.feeds().get(0);
    }

    static int nthIndexOf(List<String> lines, String needle, int n) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle) && ++seen == n) {
                return i;
            }
        }
        throw new IllegalArgumentException("fewer than " + n + " lines with " + needle);
    }
}
