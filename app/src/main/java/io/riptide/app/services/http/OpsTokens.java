package io.riptide.app.services.http;

import io.riptide.schemas.security.OpsRequestSigning;
import io.riptide.trigger.api.OpsRequestAuthority;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens the ops API accepts, stored hashed: one line per token,
 * {@code sha256:<64 hex digits> <principal> <role>[,<role>...]} ({@code #} starts a comment). Only the SHA-256 of a
 * token is kept; a presented token is hashed and compared with every entry in constant time, and neither tokens nor
 * their hashes appear in logs, errors or {@code toString()}.
 */
public final class OpsTokens {

    /** Who a token belongs to and what it may do. */
    public record Principal(String name, Set<OpsRole> roles) {
        public Principal {
            roles = Set.copyOf(roles);
        }

        public boolean has(OpsRole role) {
            return roles.contains(role);
        }
    }

    private record Entry(byte[] sha256, Principal principal) {
        @Override
        public String toString() {
            return "Entry[" + principal + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final List<Entry> entries;

    private OpsTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static OpsTokens none() {
        return new OpsTokens(List.of());
    }

    /**
     * Parses token lines (newlines or {@code ;} between entries).
     *
     * @param where named in errors, e.g. "ops.api.tokens.file /etc/riptide/tokens (line 3)"
     */
    public static OpsTokens parse(String text, String where) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("[\n;]");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String at = where + " (entry " + (i + 1) + ")";
            if (parts.length != 3 || !parts[0].startsWith("sha256:")) {
                throw new IllegalArgumentException("invalid token entry in " + at
                        + ": expected 'sha256:<hex> <principal> <roles>'");
            }
            String hex = parts[0].substring("sha256:".length());
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("invalid token entry in " + at
                        + ": the hash must be 64 hex digits (riptide ops token prints one)");
            }
            Set<OpsRole> roles = EnumSet.noneOf(OpsRole.class);
            for (String role : parts[2].split(",")) {
                roles.add(OpsRole.parse(role));
            }
            entries.add(new Entry(HexFormat.of().parseHex(hex.toLowerCase()), new Principal(parts[1], roles)));
        }
        return new OpsTokens(entries);
    }

    /** One plain token with the given principal and roles (the demo's RIPTIDE_OPS_TOKEN); only its hash is kept. */
    public static OpsTokens single(String token, String principal, Set<OpsRole> roles) {
        return new OpsTokens(List.of(new Entry(sha256(token), new Principal(principal, roles))));
    }

    public OpsTokens plus(OpsTokens other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new OpsTokens(all);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The principal of a presented token; every entry is compared, in constant time, whatever matches. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token);
        Principal found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(presented, e.sha256()) && found == null) {
                found = e.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The authority over ops requests read from Kafka: a request is carried out when it is signed with one of these
     * tokens ({@link OpsRequestSigning}) whose principal has {@code operate} (and {@code force}, for a forced one),
     * under that principal's name. Every entry is tried, whatever matches, as {@link #authenticate} does.
     */
    public OpsRequestAuthority kafkaAuthority() {
        return request -> {
            if (request.getSignature() == null) {
                return OpsRequestAuthority.Verdict.refused("unsigned; ops requests over Kafka must be signed with an "
                        + "ops token (riptide ops --token, or RIPTIDE_OPS_TOKEN)");
            }
            Principal found = null;
            for (Entry e : entries) {
                if (OpsRequestSigning.signedWith(request, e.sha256()) && found == null) {
                    found = e.principal();
                }
            }
            if (found == null) {
                return OpsRequestAuthority.Verdict.refused("bad signature: signed with no token this trigger knows");
            }
            if (!found.has(OpsRole.OPERATE)) {
                return OpsRequestAuthority.Verdict.refused(found.name() + " lacks the operate role");
            }
            if (request.getForce() && !found.has(OpsRole.FORCE)) {
                return OpsRequestAuthority.Verdict.refused(found.name() + " lacks the force role, which a forced "
                        + "retrain needs");
            }
            return OpsRequestAuthority.Verdict.allowed(found.name());
        };
    }

    /** A new random token (32 bytes, URL-safe base64). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The line for a token file: {@code sha256:<hex> <principal> <roles>}. */
    public static String line(String token, String principal, Set<OpsRole> roles) {
        return "sha256:" + HexFormat.of().formatHex(sha256(token)) + " " + principal + " "
                + String.join(",", roles.stream().sorted().map(OpsRole::label).toList());
    }

    static byte[] sha256(String token) {
        return OpsRequestSigning.tokenHash(token);
    }

    @Override
    public String toString() {
        return "OpsTokens[" + entries.size() + " tokens for " + entries.stream().map(e -> e.principal().name())
                .distinct().toList() + "]";
    }
}
