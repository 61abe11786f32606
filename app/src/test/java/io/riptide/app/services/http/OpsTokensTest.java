package io.riptide.app.services.http;

import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.security.OpsRequestSigning;
import io.riptide.trigger.api.OpsRequestAuthority;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsTokensTest {

    @Test
    void aTokenIsKnownByItsHashAloneAndMapsToItsPrincipalAndRoles() {
        String alice = OpsTokens.generate();
        String bob = OpsTokens.generate();
        String file = "# tokens\n" + OpsTokens.line(alice, "alice", EnumSet.of(OpsRole.READ, OpsRole.OPERATE))
                + "\n\n" + OpsTokens.line(bob, "bob", Set.of(OpsRole.READ)) + "\n";
        assertFalse(file.contains(alice) || file.contains(bob), "only hashes are written");
        OpsTokens tokens = OpsTokens.parse(file, "test");
        assertEquals(2, tokens.size());
        OpsTokens.Principal a = tokens.authenticate(alice).orElseThrow();
        assertEquals("alice", a.name());
        assertTrue(a.has(OpsRole.OPERATE) && !a.has(OpsRole.FORCE));
        assertEquals(Set.of(OpsRole.READ), tokens.authenticate(bob).orElseThrow().roles());
        assertTrue(tokens.authenticate(alice + "x").isEmpty());
        assertTrue(tokens.authenticate("").isEmpty());
        assertTrue(tokens.authenticate(null).isEmpty());
        assertFalse(tokens.toString().contains(alice) || tokens.toString().contains("sha256"), tokens.toString());
    }

    @Test
    void inlineEntriesAreSeparatedBySemicolonsAndBadEntriesAreNamed() {
        String t = OpsTokens.generate();
        OpsTokens tokens = OpsTokens.parse(OpsTokens.line(t, "ops", EnumSet.allOf(OpsRole.class)) + "; ",
                "ops.api.tokens");
        assertEquals(Set.of(OpsRole.READ, OpsRole.OPERATE, OpsRole.FORCE), tokens.authenticate(t).orElseThrow().roles());
        IllegalArgumentException noHash = assertThrows(IllegalArgumentException.class,
                () -> OpsTokens.parse("plaintext-token alice read", "ops.api.tokens"));
        assertTrue(noHash.getMessage().contains("ops.api.tokens (entry 1)"), noHash.getMessage());
        IllegalArgumentException shortHash = assertThrows(IllegalArgumentException.class,
                () -> OpsTokens.parse("sha256:abcd alice read", "f"));
        assertTrue(shortHash.getMessage().contains("64 hex digits"), shortHash.getMessage());
        IllegalArgumentException role = assertThrows(IllegalArgumentException.class, () -> OpsTokens.parse(
                OpsTokens.line("x", "a", Set.of(OpsRole.READ)).replace("read", "admin"), "f"));
        assertTrue(role.getMessage().contains("unknown role 'admin'"), role.getMessage());
    }

    @Test
    void generatedTokensAreLongAndDistinct() {
        String a = OpsTokens.generate();
        assertTrue(a.length() >= 43, a);
        assertFalse(a.equals(OpsTokens.generate()));
    }

    @Test
    void aKafkaRequestIsCarriedOutUnderThePrincipalWhoseTokenSignedItAndOnlyWithTheRolesItNeeds() {
        String olga = OpsTokens.generate();
        String rita = OpsTokens.generate();
        OpsTokens tokens = OpsTokens.parse(OpsTokens.line(olga, "olga", EnumSet.of(OpsRole.READ, OpsRole.OPERATE))
                + "\n" + OpsTokens.line(rita, "rita", EnumSet.of(OpsRole.READ)), "test");
        OpsRequestAuthority authority = tokens.kafkaAuthority();
        RetrainRequest request = RetrainRequest.newBuilder().setRequestId("r1").setModelKey("liquidation-15m")
                .setAction(OpsAction.ROLLBACK).setRequestedBy("mallory").setReason("why").setForce(false)
                .setTimeMs(1).build();
        assertEquals(OpsRequestAuthority.Verdict.allowed("olga"),
                authority.check(OpsRequestSigning.sign(request, olga)), "the signer, not the claimed mallory");
        assertEquals("rita lacks the operate role", authority.check(OpsRequestSigning.sign(request, rita)).refusal());
        RetrainRequest forced = RetrainRequest.newBuilder(request).setAction(OpsAction.RETRAIN).setForce(true).build();
        assertTrue(authority.check(OpsRequestSigning.sign(forced, olga)).refusal().startsWith("olga lacks the force"));
        assertTrue(authority.check(request).refusal().startsWith("unsigned"));
        assertTrue(authority.check(OpsRequestSigning.sign(request, OpsTokens.generate())).refusal()
                .startsWith("bad signature"));
        RetrainRequest tampered = RetrainRequest.newBuilder(OpsRequestSigning.sign(request, olga))
                .setModelKey("liquidation-5m").build();
        assertTrue(authority.check(tampered).refusal().startsWith("bad signature"), "the signature covers the key");
        assertTrue(OpsTokens.none().kafkaAuthority().check(OpsRequestSigning.sign(request, olga)).refusal()
                .startsWith("bad signature"));
    }
}
