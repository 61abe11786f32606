package io.riptide.app.ops;

import picocli.CommandLine.Option;

/** How {@code riptide ops} reaches the trigger's HTTP API: {@code --api URL} and a bearer token. */
public final class OpsClientOptions {
    @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:RIPTIDE_OPS_API}",
            description = "The trigger's ops API, e.g. http://127.0.0.1:9401 (default: $RIPTIDE_OPS_API).")
    String api;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:RIPTIDE_OPS_TOKEN}",
            description = "Your ops token: the API's bearer token, and what signs a request sent over Kafka "
                    + "(default: $RIPTIDE_OPS_TOKEN; never printed).")
    String token;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    boolean hasApi() {
        return api != null && !api.isBlank();
    }

    OpsHttpClient client() {
        if (!hasApi()) {
            throw new IllegalArgumentException("this command reads the trigger's ops API: give --api URL "
                    + "(or set RIPTIDE_OPS_API)");
        }
        return new OpsHttpClient(api, token);
    }
}
