package io.riptide.schemas.security;

import io.riptide.schemas.avro.ModelRole;
import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import io.riptide.schemas.serde.AvroWireDeserializer;
import io.riptide.schemas.serde.AvroWireSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSigningTest {
    private static final ModelSigning TRIGGER = ModelSigning.withSecret("a-signing-secret-for-tests");

    private static ModelVersion version(Map<String, Double> metrics) {
        return ModelVersion.newBuilder().setModelKey("liquidation-15m").setRole(ModelRole.PRODUCTION).setVersion(3)
                .setFormat("lightgbm-text").setSha256("ab".repeat(32)).setFeatureSetId("fs").setFeatureSetHash("h")
                .setFeatureNames(List.of("a", "b")).setTrainedAtMs(1).setPublishedAtMs(2).setTrainingExamples(900)
                .setMetrics(metrics).setReferenceDistributions(List.of())
                .setArtifactGzip(ByteBuffer.wrap(new byte[]{1, 2, 3})).setArtifactBytes(3).setReason("test").build();
    }

    private static Map<String, Double> metrics(String... keys) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, (double) k.length());
        }
        return m;
    }

    @Test
    void aSignedVersionVerifiesAfterTheWireAndWhateverOrderItsMetricsComeIn() {
        ModelVersion signed = TRIGGER.sign(version(metrics("auc", "brier", "log_loss", "ece")));
        assertTrue(signed.getSignature().startsWith("hmac-sha256:"), signed.getSignature());
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        ModelVersion decoded = new AvroWireDeserializer<>(registry, ModelVersion.class).deserialize("t",
                new AvroWireSerializer<ModelVersion>(registry, false).serialize("t", signed));
        assertNull(TRIGGER.refusal(decoded));
        ModelVersion reordered = ModelVersion.newBuilder(version(metrics("ece", "log_loss", "brier", "auc")))
                .setSignature(signed.getSignature()).build();
        assertNull(TRIGGER.refusal(reordered));
    }

    @Test
    void anyChangeAfterSigningAnotherSecretOrNoSignatureIsRefused() {
        ModelVersion signed = TRIGGER.sign(version(metrics("auc")));
        assertTrue(TRIGGER.refusal(ModelVersion.newBuilder(signed).setVersion(4).build()).startsWith("bad signature"));
        assertTrue(TRIGGER.refusal(ModelVersion.newBuilder(signed).setSha256("cd".repeat(32)).build())
                .startsWith("bad signature"));
        assertTrue(TRIGGER.refusal(ModelVersion.newBuilder(signed).setRole(ModelRole.SHADOW).build())
                .startsWith("bad signature"));
        assertTrue(ModelSigning.withSecret("another-secret-of-16-bytes").refusal(signed).startsWith("bad signature"));
        assertEquals("unsigned (models.signing.allow.unsigned is false)", TRIGGER.refusal(version(metrics("auc"))));
        assertEquals("signature is not hmac-sha256:<hex>", TRIGGER.refusal(
                ModelVersion.newBuilder(signed).setSignature("hmac-sha256:zz").build()));
        assertNull(ModelSigning.unsignedAllowed().refusal(version(metrics("auc"))), "development mode");
        assertFalse(ModelSigning.unsignedAllowed().signs());
    }

    @Test
    void theSecretComesFromTheSettingsOrAFileAndMistakesNameTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "a-signing-secret-for-tests\n");
        ModelSigning fromFile = ModelSigning.from(Settings.load(null, Map.of(),
                Map.of("models.signing.secret.file", file.toString())));
        assertNull(fromFile.refusal(TRIGGER.sign(version(metrics("auc")))), "the file's secret, trailing newline off");
        ModelSigning fromEnvironment = ModelSigning.from(Settings.load(null,
                Map.of("RIPTIDE_MODELS_SIGNING_SECRET", "a-signing-secret-for-tests"), Map.of()));
        assertNull(fromEnvironment.refusal(TRIGGER.sign(version(metrics("auc")))));

        String missing = assertThrows(ConfigException.class,
                () -> ModelSigning.from(Settings.load(null, Map.of(), Map.of()))).getMessage();
        assertTrue(missing.startsWith("models.signing.secret or models.signing.secret.file is required"), missing);
        assertTrue(assertThrows(ConfigException.class, () -> ModelSigning.from(Settings.load(null, Map.of(),
                Map.of("models.signing.secret", "short")))).getMessage().startsWith("models.signing.secret must be"));
        assertTrue(assertThrows(ConfigException.class, () -> ModelSigning.from(Settings.load(null, Map.of(),
                Map.of("models.signing.secret.file", dir.resolve("nope").toString())))).getMessage()
                .startsWith("cannot read models.signing.secret.file"));
        assertFalse(fromFile.toString().contains("a-signing-secret"), fromFile.toString());
        assertFalse(ModelSigning.from(Settings.load(null, Map.of(), Map.of("models.signing.allow.unsigned", "true")))
                .signs());
    }

    @Test
    void whileRotatingTheStreamAcceptsBothSecretsAndTheTriggerSignsWithTheNewOne() {
        ModelSigning rotated = ModelSigning.from(Settings.load(null, Map.of(), Map.of(
                "models.signing.secret", "the-new-signing-secret-2", "models.signing.previous.secret",
                "a-signing-secret-for-tests")));
        assertNull(rotated.refusal(TRIGGER.sign(version(metrics("auc")))), "signed before the rotation");
        ModelVersion signedNow = rotated.sign(version(metrics("auc")));
        assertNull(ModelSigning.withSecret("the-new-signing-secret-2").refusal(signedNow), "signed with the new one");
        assertTrue(TRIGGER.refusal(signedNow).startsWith("bad signature"));
        assertFalse(rotated.toString().contains("secret-for-tests") || rotated.toString().contains("new-signing"));
    }
}
