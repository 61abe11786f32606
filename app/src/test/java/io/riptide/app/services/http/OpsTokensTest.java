package io.riptide.app.services.http;

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
}
