package io.riptide.schemas.security;

import io.riptide.schemas.avro.ModelVersion;
import io.riptide.schemas.config.ConfigException;
import io.riptide.schemas.config.Settings;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * Who may change what serves: the trigger signs every {@link ModelVersion} it publishes with HMAC-SHA256 under a
 * secret it shares with the stream, and the stream installs only versions whose signature verifies. Producing to
 * {@code models.versions} is then not enough to install a model; knowing the secret is. The signature covers the
 * version's canonical bytes: its Avro binary encoding with the signature left null and the metrics map sorted by
 * key (a map's order is not kept across a decode), so the artifact (through its sha256 and bytes), the key, role,
 * version, feature set, calibration and references are all covered.
 *
 * <p>Configured by {@code models.signing.secret} or {@code models.signing.secret.file} (environment
 * {@code RIPTIDE_MODELS_SIGNING_SECRET}, ...), the same on both services; {@code models.signing.allow.unsigned=true}
 * runs without one, for development only: the trigger then publishes unsigned versions and the stream installs them.
 */
public final class ModelSigning {
    public static final String SECRET_KEY = "models.signing.secret";
    public static final String SECRET_FILE_KEY = "models.signing.secret.file";
    public static final String ALLOW_UNSIGNED_KEY = "models.signing.allow.unsigned";
    /** While rotating: versions signed with this older secret still verify; nothing is signed with it. */
    public static final String PREVIOUS_SECRET_KEY = "models.signing.previous.secret";
    private static final String PREFIX = "hmac-sha256:";
    private static final int MIN_SECRET_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] secret;
    private final byte[] previousSecret;
    private final boolean allowUnsigned;

    private ModelSigning(byte[] secret, byte[] previousSecret, boolean allowUnsigned) {
        this.secret = secret;
        this.previousSecret = previousSecret;
        this.allowUnsigned = allowUnsigned;
    }

    /** Signs and verifies with {@code secret}; unsigned versions are refused. */
    public static ModelSigning withSecret(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new ConfigException(SECRET_KEY + " must be at least " + MIN_SECRET_BYTES + " bytes long");
        }
        return new ModelSigning(bytes, null, false);
    }

    /** No secret: publishes unsigned versions and installs any (development only). */
    public static ModelSigning unsignedAllowed() {
        return new ModelSigning(null, null, true);
    }

    /** A fresh random secret (64 hex characters), e.g. for one demo or backtest run. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    public static ModelSigning from(Settings settings) {
        String inline = settings.string(SECRET_KEY, "");
        String file = settings.string(SECRET_FILE_KEY, "");
        boolean allowUnsigned = settings.booleanValue(ALLOW_UNSIGNED_KEY, false);
        if (!inline.isEmpty() && !file.isEmpty()) {
            throw new ConfigException("set " + SECRET_KEY + " or " + SECRET_FILE_KEY + ", not both");
        }
        String secret = inline;
        if (!file.isEmpty()) {
            try {
                secret = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException("cannot read " + SECRET_FILE_KEY + " '" + file + "': " + e.getMessage());
            }
        }
        if (secret.isEmpty()) {
            if (allowUnsigned) {
                return unsignedAllowed();
            }
            throw new ConfigException(SECRET_KEY + " or " + SECRET_FILE_KEY + " is required: only versions signed "
                    + "with it may serve (" + ALLOW_UNSIGNED_KEY + "=true runs without, for development only)");
        }
        ModelSigning signing = withSecret(secret);
        String previous = settings.string(PREVIOUS_SECRET_KEY, "");
        byte[] previousBytes = null;
        if (!previous.isEmpty()) {
            previousBytes = withSecret(previous).secret;
        }
        return new ModelSigning(signing.secret, previousBytes, allowUnsigned);
    }

    /** Whether this side has a secret (else it publishes unsigned versions). */
    public boolean signs() {
        return secret != null;
    }

    /** {@code version} with its signature set (unchanged, unsigned, without a secret). */
    public ModelVersion sign(ModelVersion version) {
        if (secret == null) {
            return version;
        }
        return ModelVersion.newBuilder(version).setSignature(PREFIX + HEX.formatHex(mac(version))).build();
    }

    /** Null when {@code version} may be installed, else why not. */
    public String refusal(ModelVersion version) {
        String signature = version.getSignature();
        if (signature == null) {
            return allowUnsigned ? null : "unsigned (" + ALLOW_UNSIGNED_KEY + " is false)";
        }
        if (secret == null) {
            return null; // signed by a trigger that has a secret this stream was not given; allowed unsigned anyway
        }
        if (!signature.startsWith(PREFIX)) {
            return "signature is not " + PREFIX + "<hex>";
        }
        byte[] claimed;
        try {
            claimed = HEX.parseHex(signature.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return "signature is not " + PREFIX + "<hex>";
        }
        boolean verifies = MessageDigest.isEqual(claimed, mac(version, secret))
                | (previousSecret != null && MessageDigest.isEqual(claimed, mac(version, previousSecret)));
        return verifies ? null : "bad signature (not signed with this stream's " + SECRET_KEY + ")";
    }

    private byte[] mac(ModelVersion version) {
        return mac(version, secret);
    }

    private static byte[] mac(ModelVersion version, byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(canonicalBytes(version));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static byte[] canonicalBytes(ModelVersion version) {
        ModelVersion canonical = ModelVersion.newBuilder(version).setSignature(null)
                .setMetrics(new TreeMap<>(version.getMetrics())).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(ModelVersion.class).write(canonical, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "ModelSigning[secret=" + (secret == null ? "none" : "[hidden]") + ", previous="
                + (previousSecret == null ? "none" : "[hidden]") + ", allowUnsigned=" + allowUnsigned + "]";
    }
}
