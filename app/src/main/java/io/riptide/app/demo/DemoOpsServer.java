package io.riptide.app.demo;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riptide.app.services.http.HealthCheck;
import io.riptide.app.services.http.HealthChecks;
import io.riptide.app.services.http.OpsApiConfig;
import io.riptide.app.services.http.OpsHttpApi;
import io.riptide.app.services.http.OpsRole;
import io.riptide.app.services.http.OpsTokens;
import io.riptide.app.services.http.ServiceHttpServer;
import io.riptide.schemas.config.Settings;
import io.riptide.topology.StreamService;
import io.riptide.trigger.TriggerService;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code riptide demo --ops-port N}: the trigger's ops API and console, with both services' health and metrics, on
 * one port while the demo runs. One token with every role: {@code RIPTIDE_OPS_TOKEN}, or a generated one, printed.
 */
final class DemoOpsServer implements AutoCloseable {
    static final String PRINCIPAL = "demo-ops";
    private final ServiceHttpServer server;

    private final OpsTokens tokens;

    private DemoOpsServer(ServiceHttpServer server, OpsTokens tokens) {
        this.server = server;
        this.tokens = tokens;
    }

    /** The tokens the API accepts (none when it is off); they sign ops requests over Kafka too. */
    OpsTokens tokens() {
        return tokens;
    }

    static DemoOpsServer startIfAsked(int port, StreamService stream, TriggerService trigger,
                                      PrometheusMeterRegistry metrics, String registryUrl, Consumer<String> say) {
        if (port <= 0) {
            return new DemoOpsServer(null, OpsTokens.none());
        }
        String token = System.getenv("RIPTIDE_OPS_TOKEN");
        boolean generated = token == null || token.isBlank();
        if (generated) {
            token = OpsTokens.generate();
        }
        OpsApiConfig api = OpsApiConfig.from(Settings.load(null, System.getenv(), Map.of()))
                .withTokens(OpsTokens.single(token.strip(), PRINCIPAL, EnumSet.allOf(OpsRole.class)));
        List<HealthCheck> ready = new ArrayList<>();
        ready.add(HealthChecks.streamReady(stream));
        ready.add(HealthChecks.triggerLoops(trigger));
        ready.add(HealthChecks.database(trigger));
        ready.add(HealthChecks.schemaRegistry(registryUrl));
        ServiceHttpServer.Builder builder = ServiceHttpServer.builder("demo").bind(api.bindAddress(), port)
                .metrics(metrics).live(HealthChecks.streamAlive(stream)).ready(ready)
                .extend(new OpsHttpApi(trigger, api.tokens(), () -> HealthChecks.run(ready)));
        ServiceHttpServer server = builder.start();
        say.accept("ops API and console on " + server.url() + "/ as " + PRINCIPAL + " (every role); token "
                + (generated ? token + " (generated; set RIPTIDE_OPS_TOKEN to choose one)" : "from RIPTIDE_OPS_TOKEN"));
        say.accept("  console: " + server.url() + "/" + (generated ? "#token=" + token : "")
                + "   CLI: RIPTIDE_OPS_API=" + server.url() + " RIPTIDE_OPS_TOKEN=... ./riptide ops status");
        return new DemoOpsServer(server, api.tokens());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
