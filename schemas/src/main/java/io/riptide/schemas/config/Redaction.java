package io.riptide.schemas.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps credentials out of messages, logs and {@code toString()}: the user info of a URL
 * ({@code https://key:secret@host}) and the values of client settings that hold secrets ({@code sasl.jaas.config},
 * {@code ssl.keystore.password}, ...). Errs on the side of hiding.
 */
public final class Redaction {
    /** What a hidden value shows, as Kafka's own {@code Password.toString()} does. */
    public static final String HIDDEN = "[hidden]";

    private static final List<String> SECRET_KEY_PARTS = List.of("password", "secret", "jaas", "credential", "token",
            "user.info", "userinfo", "private.key", "keystore.key", "certificate", "apikey", "api.key");

    private Redaction() {
    }

    /**
     * {@code url} with any user info replaced by {@code ***}: {@code http://user:pass@host:8081/x} becomes
     * {@code http://***@host:8081/x}. Works on text that does not parse as a URL too, since that is when it gets
     * quoted in an error.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            // no telling where a malformed URL's authority ends: hide everything up to its last '@'
            int at = url.lastIndexOf('@');
            return at < 0 ? url : "***" + url.substring(at);
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        // the last '@' of the authority: a password may hold an unescaped '@'
        int at = url.lastIndexOf('@', end - 1);
        return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
    }

    /** Whether a client setting's value is a secret, judged by its name. */
    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY_PARTS.stream().anyMatch(lower::contains);
    }

    /** The settings sorted by key, secrets shown as {@link #HIDDEN} and credentials in URLs as {@code ***}. */
    public static Map<String, String> settings(Map<String, String> settings) {
        Map<String, String> result = new TreeMap<>();
        settings.forEach((key, value) -> result.put(key, isSecret(key) ? HIDDEN : url(value)));
        return result;
    }
}
