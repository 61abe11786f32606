package io.riptide.schemas.security;

import io.riptide.schemas.avro.RetrainRequest;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Ops requests sent over Kafka prove who sent them: the sender signs the request with HMAC-SHA256 keyed by the
 * SHA-256 of its ops token, which is exactly what the trigger's token list keeps ({@code sha256:<hex> principal
 * roles}), so the trigger can verify without ever holding the token, and the audit records the principal whose
 * token verified rather than the {@code requestedBy} the record claims. The signature covers every field
 * (action, key, target version, force, reason, request id and time); a replayed request id is answered from the
 * request log, not carried out again.
 */
public final class OpsRequestSigning {
    private static final String PREFIX = "hmac-sha256:";
    private static final HexFormat HEX = HexFormat.of();

    private OpsRequestSigning() {
    }

    /** The SHA-256 of a token, the HMAC key (and what a token list stores). */
    public static byte[] tokenHash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** {@code request} signed with {@code token}. */
    public static RetrainRequest sign(RetrainRequest request, String token) {
        return RetrainRequest.newBuilder(request)
                .setSignature(PREFIX + HEX.formatHex(mac(request, tokenHash(token)))).build();
    }

    /** Whether {@code request} carries a signature made with the token whose SHA-256 is {@code tokenHash}. */
    public static boolean signedWith(RetrainRequest request, byte[] tokenHash) {
        String signature = request.getSignature();
        if (signature == null || !signature.startsWith(PREFIX)) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HEX.parseHex(signature.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(claimed, mac(request, tokenHash));
    }

    private static byte[] mac(RetrainRequest request, byte[] key) {
        RetrainRequest canonical = RetrainRequest.newBuilder(request).setSignature(null).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(RetrainRequest.class).write(canonical, encoder);
            encoder.flush();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
