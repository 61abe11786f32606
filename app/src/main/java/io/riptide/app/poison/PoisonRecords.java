package io.riptide.app.poison;

import io.riptide.schemas.avro.BookSnapshot;
import io.riptide.schemas.avro.Liquidation;
import io.riptide.schemas.avro.PositionSide;
import io.riptide.schemas.avro.PriceLevel;
import io.riptide.schemas.avro.Side;
import io.riptide.schemas.avro.Trade;
import io.riptide.schemas.serde.AvroWireSerializer;
import io.riptide.schemas.topics.MarketHeartbeat;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.TopicNamespace;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Hostile market records of every kind a broken or malicious producer can write, each one something the stream must
 * refuse. Records that decode carry ids ({@code poison-N}) and event times inside the market being replayed, so one
 * that slipped through would change the stream's outputs. Deterministic for a seed, except the far-future times,
 * which are ahead of the wall clock. The poison bench mixes them into a market by the thousand; the demo sends one
 * of each.
 */
public final class PoisonRecords {
    /** What is wrong with a record. */
    public enum Kind {
        GARBAGE(10, "random bytes"),
        UNKNOWN_SCHEMA_ID(10, "the wire format's magic byte, then a schema id the registry never issued"),
        WRONG_SCHEMA(10, "a valid record of another topic's schema (a liquidation on market.trades)"),
        STRING_LENGTH_BOMB(10, "a trade whose first string declares 2 GB"),
        ARRAY_LENGTH_BOMB(10, "a book whose bid array declares 2 billion levels"),
        TRAILING_BYTES(5, "a valid trade followed by junk"),
        NAN_VALUE(10, "a trade priced NaN, or a book level of NaN size"),
        NEGATIVE_VALUE(10, "a trade of negative size, or a liquidation of negative notional"),
        CROSSED_BOOK(10, "a book whose best bid is above its best ask"),
        FAR_FUTURE(10, "a valid trade dated a day to a century ahead of the wall clock"),
        FAR_PAST(10, "a valid trade dated a day before what the stream has released"),
        HUGE_VALUE(1, "1 MB: random bytes, or a trade whose id is a megabyte long"),
        EMPTY_VALUE(5, "a value of zero bytes"),
        TOMBSTONE(5, "a null value without a heartbeat header"),
        NULL_KEY(10, "a valid trade without a key"),
        WRONG_KEY(10, "a valid trade keyed by another instrument"),
        BAD_HEARTBEAT(5, "a heartbeat whose watermark is not a time"),
        FUTURE_HEARTBEAT(5, "a heartbeat a day ahead of the wall clock");

        private final int weight;
        private final String description;

        Kind(int weight, String description) {
            this.weight = weight;
            this.description = description;
        }

        /** What the record holds, in words. */
        public String description() {
            return description;
        }
    }

    /** A bad record and what is wrong with it. */
    public record Poison(Kind kind, ProducerRecord<byte[], byte[]> record) {
    }

    public static final int HUGE_BYTES = 1_000_000;
    private static final long DAY_MS = 86_400_000L;

    private final AvroWireSerializer<SpecificRecord> avro;
    private final TopicNamespace topics;
    private final List<String> instruments;
    private final Random random;
    private final int totalWeight = Arrays.stream(Kind.values()).mapToInt(k -> k.weight).sum();
    private long serial;

    public PoisonRecords(AvroWireSerializer<SpecificRecord> avro, TopicNamespace topics, List<String> instruments,
                         long seed) {
        if (instruments.size() < 2) {
            throw new IllegalArgumentException("the poison needs two instruments (one to key the other's records by)");
        }
        this.avro = avro;
        this.topics = topics;
        this.instruments = List.copyOf(instruments);
        this.random = new Random(seed);
    }

    /**
     * The next bad record, dated in {@code [fromMs, untilMs)} where its time matters.
     *
     * @param releasedMs the event time the stream has released every input through (late records are dated a day
     *                   before it); 0 when nothing was released yet, and then no record is a late one
     */
    public Poison next(long fromMs, long untilMs, long releasedMs) {
        Kind kind;
        do {
            kind = pick();
        } while (kind == Kind.FAR_PAST && releasedMs <= 0);
        return new Poison(kind, build(kind, fromMs, untilMs, releasedMs));
    }

    /** One bad record of every kind (but a late one when nothing was released yet), in {@link Kind} order. */
    public List<Poison> oneOfEach(long fromMs, long untilMs, long releasedMs) {
        List<Poison> all = new java.util.ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (kind != Kind.FAR_PAST || releasedMs > 0) {
                all.add(new Poison(kind, build(kind, fromMs, untilMs, releasedMs)));
            }
        }
        return all;
    }

    private Kind pick() {
        int r = random.nextInt(totalWeight);
        for (Kind k : Kind.values()) {
            r -= k.weight;
            if (r < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    private ProducerRecord<byte[], byte[]> build(Kind kind, long fromMs, long untilMs, long releasedMs) {
        String instrument = instruments.get(random.nextInt(instruments.size()));
        long time = fromMs + (untilMs > fromMs ? (long) (random.nextDouble() * (untilMs - fromMs)) : 0);
        byte[] key = bytes(instrument);
        return switch (kind) {
            case GARBAGE -> record(anyMarketTopic(), key, randomBytes(1 + random.nextInt(200)));
            case UNKNOWN_SCHEMA_ID -> {
                byte[] value = randomBytes(5 + random.nextInt(60));
                value[0] = 0;
                ByteBuffer.wrap(value, 1, 4).putInt(1_000_000_000 + random.nextInt(1_000_000));
                yield record(anyMarketTopic(), key, value);
            }
            case WRONG_SCHEMA -> record(Topics.TRADES, key, avro.serialize(topics.name(Topics.LIQUIDATIONS),
                    liquidation(instrument, time, 1.0, 100.0)));
            case STRING_LENGTH_BOMB -> record(Topics.TRADES, key, lengthBomb(Topics.TRADES, trade(instrument, time)));
            case ARRAY_LENGTH_BOMB -> {
                // a book starts with instrument, time and update id; the bids' item count follows them
                byte[] valid = avro.serialize(topics.name(Topics.BOOKS), book(instrument, time, 100, 101, 1));
                int prefix = 5 + 1 + bytes(instrument).length + varintLength(zigzag(time)) + varintLength(zigzag(1));
                byte[] bomb = Arrays.copyOf(valid, prefix + 5 + 8);
                writeVarint(bomb, prefix, zigzag(2_000_000_000L));
                yield record(Topics.BOOKS, key, bomb);
            }
            case TRAILING_BYTES -> {
                byte[] valid = avro.serialize(topics.name(Topics.TRADES), trade(instrument, time));
                byte[] value = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(32));
                for (int i = valid.length; i < value.length; i++) {
                    value[i] = (byte) (1 + random.nextInt(255));
                }
                yield record(Topics.TRADES, key, value);
            }
            case NAN_VALUE -> random.nextBoolean()
                    ? record(Topics.TRADES, key, avro.serialize(topics.name(Topics.TRADES),
                    trade(instrument, time, Double.NaN, 1.0, id())))
                    : record(Topics.BOOKS, key, avro.serialize(topics.name(Topics.BOOKS),
                    book(instrument, time, 100, 101, Double.NaN)));
            case NEGATIVE_VALUE -> random.nextBoolean()
                    ? record(Topics.TRADES, key, avro.serialize(topics.name(Topics.TRADES),
                    trade(instrument, time, 100.0, -1.0, id())))
                    : record(Topics.LIQUIDATIONS, key, avro.serialize(topics.name(Topics.LIQUIDATIONS),
                    liquidation(instrument, time, 1.0, -100.0)));
            case CROSSED_BOOK -> record(Topics.BOOKS, key, avro.serialize(topics.name(Topics.BOOKS),
                    book(instrument, time, 101, 100, 1)));
            case FAR_FUTURE -> record(Topics.TRADES, key, avro.serialize(topics.name(Topics.TRADES),
                    trade(instrument, System.currentTimeMillis() + DAY_MS
                            + (long) (random.nextDouble() * 36_500 * DAY_MS))));
            case FAR_PAST -> record(Topics.TRADES, key, avro.serialize(topics.name(Topics.TRADES),
                    trade(instrument, releasedMs - DAY_MS - random.nextInt(3_600_000))));
            case HUGE_VALUE -> random.nextBoolean()
                    ? record(anyMarketTopic(), key, randomBytes(HUGE_BYTES))
                    : record(Topics.TRADES, key, avro.serialize(topics.name(Topics.TRADES),
                    trade(instrument, time, 100.0, 1.0, "poison-" + "x".repeat(HUGE_BYTES))));
            case EMPTY_VALUE -> record(anyMarketTopic(), key, new byte[0]);
            case TOMBSTONE -> record(anyMarketTopic(), key, null);
            case NULL_KEY -> record(Topics.TRADES, null, avro.serialize(topics.name(Topics.TRADES),
                    trade(instrument, time)));
            case WRONG_KEY -> {
                String other = instruments.get((instruments.indexOf(instrument) + 1) % instruments.size());
                yield record(Topics.TRADES, bytes(other), avro.serialize(topics.name(Topics.TRADES),
                        trade(instrument, time)));
            }
            case BAD_HEARTBEAT -> heartbeat(key, random.nextBoolean() ? bytes("soon")
                    : bytes("9".repeat(20 + random.nextInt(10))));
            case FUTURE_HEARTBEAT -> heartbeat(key, MarketHeartbeat.encode(System.currentTimeMillis() + DAY_MS
                    + random.nextInt(1_000_000)));
        };
    }

    /** The record's first string (its instrument) re-declared as 2 GB long. */
    private byte[] lengthBomb(Topic<?> topic, SpecificRecord record) {
        byte[] valid = avro.serialize(topics.name(topic), record);
        byte[] bomb = Arrays.copyOf(valid, 5 + 5 + 16);
        writeVarint(bomb, 5, zigzag(Integer.MAX_VALUE));
        return bomb;
    }

    private ProducerRecord<byte[], byte[]> heartbeat(byte[] key, byte[] watermark) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topics.name(Topics.TRADES), null, key, null);
        r.headers().add(MarketHeartbeat.HEADER, watermark);
        return r;
    }

    private ProducerRecord<byte[], byte[]> record(Topic<?> topic, byte[] key, byte[] value) {
        return new ProducerRecord<>(topics.name(topic), key, value);
    }

    private Topic<?> anyMarketTopic() {
        List<Topic<?>> market = List.of(Topics.TRADES, Topics.BOOKS, Topics.LIQUIDATIONS);
        return market.get(random.nextInt(market.size()));
    }

    private Trade trade(String instrument, long time) {
        return trade(instrument, time, 100.0 + random.nextInt(100), 1.0 + random.nextInt(10), id());
    }

    private static Trade trade(String instrument, long time, double price, double qty, String id) {
        return Trade.newBuilder().setInstrument(instrument).setExchangeTimeMs(time).setPrice(price).setQty(qty)
                .setAggressorSide(Side.BUY).setTradeId(id).build();
    }

    private static BookSnapshot book(String instrument, long time, double bid, double ask, double qty) {
        return BookSnapshot.newBuilder().setInstrument(instrument).setExchangeTimeMs(time).setUpdateId(1)
                .setBids(List.of(new PriceLevel(bid, qty))).setAsks(List.of(new PriceLevel(ask, qty))).build();
    }

    private static Liquidation liquidation(String instrument, long time, double qty, double notional) {
        return Liquidation.newBuilder().setInstrument(instrument).setExchangeTimeMs(time)
                .setPositionSide(PositionSide.LONG).setPrice(100).setQty(qty).setNotional(notional).build();
    }

    private String id() {
        return "poison-" + (++serial);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static int varintLength(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void writeVarint(byte[] target, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            target[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        target[at] = (byte) v;
    }
}
