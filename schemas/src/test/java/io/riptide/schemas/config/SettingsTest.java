package io.riptide.schemas.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheFileAndOptionsOverrideBoth() throws IOException {
        Path file = dir.resolve("riptide.properties");
        Files.writeString(file, "kafka.bootstrap.servers=file:9092\nstream.num.threads=2\ntrigger.seed=7\n");
        Settings settings = Settings.load(file,
                Map.of("RIPTIDE_KAFKA_BOOTSTRAP_SERVERS", "env:9092", "RIPTIDE_STREAM_NUM_THREADS", "4",
                        "UNRELATED", "x"),
                Map.of("trigger.seed", "9"));
        assertEquals("env:9092", settings.requiredString("kafka.bootstrap.servers"));
        assertEquals(4, settings.intValue("stream.num.threads", 1, 1, 64));
        assertEquals(9, settings.longValue("trigger.seed", 0, 0, 100));
        assertEquals(List.of(5, 15), Settings.load(null, Map.of("RIPTIDE_STREAM_HORIZONS_MINUTES", "5, 15"), Map.of())
                .intList("stream.horizons.minutes", List.of(), 1, 60));
    }

    @Test
    void errorsNameTheKeyAndWhereTheValueCameFrom() {
        Settings settings = Settings.load(null, Map.of("RIPTIDE_STREAM_NUM_THREADS", "many",
                "RIPTIDE_STREAM_RISK_HIGH", "1.5"), Map.of());
        assertEquals("invalid value 'many' for stream.num.threads (from env RIPTIDE_STREAM_NUM_THREADS): expected an integer",
                assertThrows(ConfigException.class, () -> settings.intValue("stream.num.threads", 1, 1, 64)).getMessage());
        assertEquals("invalid value 1.5 for stream.risk.high (from env RIPTIDE_STREAM_RISK_HIGH): must be between 0.0 and 1.0",
                assertThrows(ConfigException.class, () -> settings.doubleValue("stream.risk.high", 0.6, 0, 1)).getMessage());
        assertEquals("missing required setting db.url (set it in the properties file or as RIPTIDE_DB_URL)",
                assertThrows(ConfigException.class, () -> settings.requiredString("db.url")).getMessage());
        assertEquals("cannot read config file " + dir.resolve("nope") + ": " + dir.resolve("nope"),
                assertThrows(ConfigException.class, () -> Settings.load(dir.resolve("nope"), Map.of(), Map.of()))
                        .getMessage());
    }

    @Test
    void aChoiceIsOneOfItsOptionsSpeltAsTheOptionIs() {
        Settings settings = Settings.load(null, Map.of("RIPTIDE_STREAM_STATE_STORES", "RocksDB"), Map.of());
        assertEquals("rocksdb", settings.choice("stream.state.stores", "in-memory", List.of("rocksdb", "in-memory")));
        assertEquals("in-memory", settings.choice("stream.other", "in-memory", List.of("rocksdb", "in-memory")));
        assertEquals("invalid value 'RocksDB' for stream.state.stores (from env RIPTIDE_STREAM_STATE_STORES): "
                        + "expected one of memory, disk",
                assertThrows(ConfigException.class,
                        () -> settings.choice("stream.state.stores", "memory", List.of("memory", "disk"))).getMessage());
    }
}
