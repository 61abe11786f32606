package io.riptide.feed.sim;

import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Trade;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarketSimulatorTest {
    private static final long START = 1_722_000_000_000L;
    private static final long HOUR = 3_600_000;

    @Test
    void sameSeedGivesByteIdenticalEventsWhateverTheRunUntilSteps() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults(7, START);
        RecordingSink once = new RecordingSink();
        long emitted = new MarketSimulator(config).runUntil(START + HOUR / 2, once);

        RecordingSink chunked = new RecordingSink();
        MarketSimulator sim = new MarketSimulator(config);
        long chunkedEmitted = 0;
        for (long t = START + 1_234; t < START + HOUR / 2; t += 7_777) {
            chunkedEmitted += sim.runUntil(t, chunked);
        }
        chunkedEmitted += sim.runUntil(START + HOUR / 2, chunked);

        assertEquals(once.all.size(), emitted);
        assertEquals(emitted, chunkedEmitted);
        assertEquals(digest(once.all), digest(chunked.all));

        RecordingSink otherSeed = new RecordingSink();
        new MarketSimulator(config.withSeed(8)).runUntil(START + HOUR / 2, otherSeed);
        assertNotEquals(digest(once.all), digest(otherSeed.all));
    }

    @Test
    void emitsOnlyEventsBeforeTheTargetInNonDecreasingEventTime() {
        MarketSimulator sim = new MarketSimulator(SimulatorConfig.defaults(11, START));
        RecordingSink sink = new RecordingSink();
        long previous = Long.MIN_VALUE;
        for (long target = START + 500; target <= START + 20 * 60_000; target += 1_500) {
            int before = sink.all.size();
            sim.runUntil(target, sink);
            assertEquals(target, sim.currentTimeMs());
            for (SpecificRecord r : sink.all.subList(before, sink.all.size())) {
                long t = eventTime(r);
                assertTrue(t >= previous, "event time went back from " + previous + " to " + t);
                assertTrue(t < target, "event at " + t + " emitted before target " + target);
                assertTrue(t >= START);
                previous = t;
            }
        }
        assertEquals(0, sim.runUntil(START, sink), "a target in the past emits nothing");
    }

    @Test
    void booksAreTopTwentyUncrossedWithPositivePricesEveryTwoSeconds() {
        SimulatorConfig config = SimulatorConfig.defaults(3, START);
        RecordingSink sink = new RecordingSink();
        new MarketSimulator(config).runUntil(START + HOUR, sink);

        assertEquals(3 * HOUR / config.bookIntervalMs(), sink.books.size());
        Map<String, List<BookSnapshot>> byInstrument = sink.books.stream()
                .collect(Collectors.groupingBy(b -> b.getInstrument().toString()));
        assertEquals(List.of("SIM:BTCUSDT", "SIM:ETHUSDT", "SIM:SOLUSDT"), byInstrument.keySet().stream().sorted().toList());
        for (List<BookSnapshot> books : byInstrument.values()) {
            long previousUpdateId = -1;
            long previousTime = -1;
            for (BookSnapshot b : books) {
                assertEquals(20, b.getBids().size());
                assertEquals(20, b.getAsks().size());
                assertTrue(b.getUpdateId() > previousUpdateId, "update ids increase");
                if (previousTime >= 0) {
                    assertEquals(config.bookIntervalMs(), b.getExchangeTimeMs() - previousTime);
                }
                previousUpdateId = b.getUpdateId();
                previousTime = b.getExchangeTimeMs();
                assertTrue(b.getBids().get(0).getPrice() < b.getAsks().get(0).getPrice(), "crossed book " + b);
                assertStrictlyOrdered(b.getBids(), -1);
                assertStrictlyOrdered(b.getAsks(), +1);
            }
        }
    }

    @Test
    void tradesArriveAtAFewPerSecondPerInstrumentInBursts() {
        SimulatorConfig config = SimulatorConfig.defaults(5, START);
        RecordingSink sink = new RecordingSink();
        new MarketSimulator(config).runUntil(START + 2 * HOUR, sink);

        for (String instrument : config.instruments()) {
            List<Trade> trades = sink.trades.stream()
                    .filter(t -> t.getInstrument().toString().equals(instrument)).toList();
            double perSecond = trades.size() / (2 * HOUR / 1000.0);
            System.out.printf("%s: %.2f trades/s%n", instrument, perSecond);
            assertTrue(perSecond >= 0.7 && perSecond <= 4, instrument + " trades/s " + perSecond);
            for (Trade t : trades) {
                assertTrue(t.getPrice() > 0 && t.getQty() > 0, "trade " + t);
            }
            // clustered arrivals: counts per 10 s are overdispersed compared with a Poisson process (variance = mean)
            int[] counts = new int[(int) (2 * HOUR / 10_000)];
            for (Trade t : trades) {
                counts[(int) ((t.getExchangeTimeMs() - START) / 10_000)]++;
            }
            double mean = java.util.Arrays.stream(counts).average().orElseThrow();
            double variance = java.util.Arrays.stream(counts).mapToDouble(c -> (c - mean) * (c - mean)).sum()
                    / counts.length;
            assertTrue(variance > 1.5 * mean, instrument + " variance " + variance + " vs mean " + mean);
        }
    }

    private static void assertStrictlyOrdered(List<PriceLevel> levels, int direction) {
        for (int i = 0; i < levels.size(); i++) {
            PriceLevel l = levels.get(i);
            assertTrue(l.getPrice() > 0 && l.getQty() > 0, "level " + l);
            if (i > 0) {
                assertTrue(Double.compare(l.getPrice(), levels.get(i - 1).getPrice()) == direction,
                        "levels out of order at " + i + ": " + levels);
            }
        }
    }

    static long eventTime(SpecificRecord r) {
        if (r instanceof Trade t) {
            return t.getExchangeTimeMs();
        } else if (r instanceof BookSnapshot b) {
            return b.getExchangeTimeMs();
        } else if (r instanceof io.riptide.schemas.avro.Liquidation l) {
            return l.getExchangeTimeMs();
        }
        throw new IllegalArgumentException(r.getClass().getName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static String digest(List<SpecificRecord> records) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        for (SpecificRecord r : records) {
            bytes.reset();
            sha.update(r.getSchema().getFullName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            new SpecificDatumWriter(r.getSchema()).write(r, encoder);
            encoder.flush();
            sha.update(bytes.toByteArray());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
