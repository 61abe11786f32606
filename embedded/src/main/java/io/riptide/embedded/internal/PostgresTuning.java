package io.riptide.embedded.internal;

import java.util.Map;

/** Server settings for a throw-away local database: durability off, start-up and tests fast. */
final class PostgresTuning {
    static final Map<String, String> SERVER_CONFIG = Map.of(
            "fsync", "off",
            "synchronous_commit", "off",
            "full_page_writes", "off",
            "max_connections", "100",
            "listen_addresses", "127.0.0.1");

    private PostgresTuning() {
    }
}
