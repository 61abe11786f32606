package io.riptide.schemas.kafka;

import io.riptide.schemas.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"svc\" password=\"hunter2\";";

    @Test
    void toStringShowsNoCredentials() {
        KafkaSettings settings = new KafkaSettings("broker:9093", "https://sr-key:sr-s3cret@registry:8081", (short) 3,
                Map.of("sasl.jaas.config", JAAS, "ssl.truststore.password", "changeit", "security.protocol", "SASL_SSL"));
        String text = settings.toString();
        for (String secret : new String[] {"hunter2", "svc", "changeit", "sr-key", "sr-s3cret"}) {
            assertFalse(text.contains(secret), secret + " in " + text);
        }
        assertEquals("KafkaSettings[bootstrapServers=broker:9093, schemaRegistryUrl=https://***@registry:8081, "
                + "replicationFactor=3, clientOverrides={sasl.jaas.config=[hidden], security.protocol=SASL_SSL, "
                + "ssl.truststore.password=[hidden]}]", text);
        // the values themselves are untouched: the clients need them
        assertEquals(JAAS, settings.clientOverrides().get("sasl.jaas.config"));
        assertEquals("https://sr-key:sr-s3cret@registry:8081", settings.schemaRegistryUrl());
    }

    @Test
    void anInvalidRegistryUrlIsReportedWithoutItsCredentials() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new KafkaSettings("broker:9093", "htps://key:s3cret@registry", (short) 1, Map.of()));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("htps://***@registry"), e.getMessage());
    }
}
