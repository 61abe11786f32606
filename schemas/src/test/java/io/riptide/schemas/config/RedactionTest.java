package io.riptide.schemas.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactionTest {

    @Test
    void hidesTheUserInfoOfAUrl() {
        assertEquals("http://***@host:8081", Redaction.url("http://user:pass@host:8081"));
        assertEquals("https://***@host/a@b?c=d@e", Redaction.url("https://key:p@ss@host/a@b?c=d@e"));
        assertEquals("***@host:8081", Redaction.url("user:pass@host:8081"));
        assertEquals("***@host", Redaction.url("http:/u:p/q@host"));
        assertEquals("http://host:8081/path", Redaction.url("http://host:8081/path"));
        assertEquals("http://host/x@y", Redaction.url("http://host/x@y"));
    }

    @Test
    void knowsSecretSettingsByName() {
        for (String key : new String[] {"sasl.jaas.config", "ssl.key.password", "ssl.keystore.password",
                "ssl.truststore.password", "ssl.keystore.key", "basic.auth.user.info",
                "sasl.oauthbearer.client.credentials.client.secret", "SASL.JAAS.CONFIG"}) {
            assertTrue(Redaction.isSecret(key), key);
        }
        for (String key : new String[] {"security.protocol", "sasl.mechanism", "ssl.keystore.location",
                "max.poll.records", "key.serializer"}) {
            assertFalse(Redaction.isSecret(key), key);
        }
    }

    @Test
    void settingsShowNoSecret() {
        Map<String, String> shown = Redaction.settings(Map.of(
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"svc\" password=\"hunter2\";",
                "security.protocol", "SASL_SSL",
                "sasl.oauthbearer.token.endpoint.url", "https://id:sec@idp/token",
                "some.url", "https://id:sec2@idp/x"));
        assertEquals(Map.of("sasl.jaas.config", "[hidden]", "security.protocol", "SASL_SSL",
                "sasl.oauthbearer.token.endpoint.url", "[hidden]", "some.url", "https://***@idp/x"), shown);
    }
}
