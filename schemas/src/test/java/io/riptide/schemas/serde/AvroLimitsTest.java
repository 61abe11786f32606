package io.riptide.schemas.serde;

import io.riptide.schemas.topics.Topics;
import org.apache.avro.SystemLimitException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvroLimitsTest {

    @Test
    void limitsFollowTheLargestRecordRiptideWrites() {
        assertEquals(16 * 1024 * 1024, AvroLimits.MAX_LENGTH);
        assertEquals(Topics.MODEL_VERSIONS_MAX_MESSAGE_BYTES, AvroLimits.MAX_LENGTH);
        assertEquals(List.of("org.apache.avro.limits.string.maxLength", "org.apache.avro.limits.bytes.maxLength",
                "org.apache.avro.limits.collectionItems.maxLength"), AvroLimits.PROPERTIES);
    }

    @Test
    void loadingTheDeserializerPutsTheLimitsInForce() {
        new AvroWireDeserializer<>(new io.riptide.schemas.registry.InMemorySchemaRegistry(),
                io.riptide.schemas.avro.Trade.class);
        AvroLimits.configured().values().forEach(v -> assertEquals(Integer.toString(AvroLimits.MAX_LENGTH), v));
        assertTrue(AvroLimits.inForce());
        assertEquals(AvroLimits.MAX_LENGTH, SystemLimitException.checkMaxStringLength(AvroLimits.MAX_LENGTH));
        assertThrows(SystemLimitException.class,
                () -> SystemLimitException.checkMaxStringLength(AvroLimits.MAX_LENGTH + 1L));
        assertThrows(SystemLimitException.class,
                () -> SystemLimitException.checkMaxBytesLength(AvroLimits.MAX_LENGTH + 1L));
        assertThrows(SystemLimitException.class,
                () -> SystemLimitException.checkMaxCollectionLength(AvroLimits.MAX_LENGTH + 1L));
    }

    @Test
    void aLimitTheOperatorSetIsKept() {
        Properties properties = new Properties();
        properties.setProperty("org.apache.avro.limits.string.maxLength", "1000");
        List<String> set = AvroLimits.setDefaults(properties);
        assertEquals(List.of("org.apache.avro.limits.bytes.maxLength",
                "org.apache.avro.limits.collectionItems.maxLength"), set);
        assertEquals("1000", properties.getProperty("org.apache.avro.limits.string.maxLength"));
        assertEquals("16777216", properties.getProperty("org.apache.avro.limits.bytes.maxLength"));
    }
}
