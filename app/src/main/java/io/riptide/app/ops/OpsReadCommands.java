package io.riptide.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** The read commands of {@code riptide ops}: status, models, jobs, history. They need the HTTP API. */
final class OpsReadCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpsReadCommands() {
    }

    static void print(PrintStream out, JsonNode node) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }

    static String auc(JsonNode node) {
        return node == null || !node.isNumber() ? "-" : String.format("%.3f", node.asDouble());
    }

    /** An ISO time without its fractional seconds: 2026-12-04T22:01:07Z. */
    static String time(JsonNode node) {
        String t = text(node);
        int dot = t.indexOf('.');
        return dot > 0 && t.endsWith("Z") ? t.substring(0, dot) + "Z" : t;
    }

    @Command(name = "status", description = "Services, stream state and lag, the last prediction per key, jobs, alerts.")
    static final class Status implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
        @Mixin
        OpsClientOptions client;

        @Override
        public Integer call() {
            JsonNode s = client.client().get("/api/status");
            PrintStream out = System.out;
            if (client.json) {
                print(out, s);
                return 0;
            }
            out.println("services");
            for (Iterator<Map.Entry<String, JsonNode>> it = s.at("/services/checks").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> c = it.next();
                out.printf("  %-30s %-5s %s%n", c.getKey(), text(c.getValue().get("status")),
                        text(c.getValue().get("detail")));
            }
            JsonNode stream = s.get("stream");
            out.printf("stream      group %s: %s, %d member(s), lag %d%s%n", text(stream.get("applicationId")),
                    text(stream.get("groupState")), stream.path("members").asInt(), stream.path("totalLag").asLong(),
                    stream.path("lagGrowing").asBoolean() ? " and growing" : "");
            for (Iterator<Map.Entry<String, JsonNode>> it = stream.path("lagByTopic").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> l = it.next();
                out.printf("            %-28s lag %d%n", l.getKey(), l.getValue().asLong());
            }
            out.println("jobs        " + s.at("/trigger/jobs"));
            out.println("last predictions");
            for (Iterator<Map.Entry<String, JsonNode>> it = s.path("lastPredictions").fields(); it.hasNext(); ) {
                JsonNode p = it.next().getValue();
                out.printf("  %-22s %-18s p=%.3f %-8s by %-22s at %s%n", text(p.get("modelKey")),
                        text(p.get("instrument")), p.path("probability").asDouble(), text(p.get("riskLevel")),
                        text(p.get("servedBy")), time(p.get("time")));
            }
            JsonNode active = s.at("/alerts/active");
            out.println("alerts      " + (active.isEmpty() ? "none active" : active.size() + " active"));
            for (JsonNode a : active) {
                out.printf("  %-20s %-8s %s%n", text(a.get("kind")), text(a.get("severity")), text(a.get("message")));
            }
            return 0;
        }
    }

    @Command(name = "models", description = {"Model keys and who serves them; with --model, every version of a key:",
            "role, hold-out and live AUC, calibration, the features it leans on."})
    static final class Models implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
        @Mixin
        OpsClientOptions client;
        @Option(names = "--model", paramLabel = "KEY", description = "One model key, e.g. liquidation-15m.")
        String modelKey;

        @Override
        public Integer call() {
            OpsHttpClient api = client.client();
            PrintStream out = System.out;
            if (modelKey == null) {
                JsonNode models = api.get("/api/models");
                if (client.json) {
                    print(out, models);
                    return 0;
                }
                out.printf("%-26s %-16s %-9s %-10s %s%n", "KEY", "SERVING", "VERSIONS", "LIVE AUC", "JOB");
                for (JsonNode m : models) {
                    JsonNode job = m.get("activeJob");
                    out.printf("%-26s %-16s %-9s %-10s %s%n", text(m.get("key")), serving(m.get("serving")),
                            text(m.get("versions")), auc(m.get("liveAuc")), job == null || job.isNull() ? "-"
                                    : "job " + text(job.get("id")) + " " + text(job.get("status")) + " "
                                    + Math.round(job.path("progress").asDouble() * 100) + "%");
                }
                return 0;
            }
            JsonNode m = api.get("/api/models/" + OpsHttpClient.encode(modelKey));
            if (client.json) {
                print(out, m);
                return 0;
            }
            out.println(text(m.get("key")) + ": serving " + serving(m.get("serving")) + since(m.get("servingSince")));
            out.printf("%-4s %-11s %-10s %-21s %-9s %-8s %-8s %-9s %s%n", "V", "ROLE", "STATUS", "CREATED",
                    "EXAMPLES", "HOLD-OUT", "LIVE", "CALIB", "TOP FEATURES");
            for (JsonNode v : m.get("versions")) {
                StringBuilder features = new StringBuilder();
                int n = 0;
                for (JsonNode f : v.path("featureImportance")) {
                    if (n++ == 3) {
                        break;
                    }
                    features.append(n > 1 ? ", " : "").append(text(f.get("feature")));
                }
                out.printf("v%-3s %-11s %-10s %-21s %-9s %-8s %-8s %-9s %s%n", text(v.get("version")),
                        text(v.get("role")), text(v.get("status")), time(v.get("createdAt")),
                        text(v.get("trainingExamples")), auc(v.at("/offlineMetrics/auc")),
                        auc(v.at("/live/latestAuc")), text(v.at("/calibration/method")), features);
            }
            return 0;
        }

        private static String since(JsonNode since) {
            JsonNode p = since == null ? null : since.get("PRODUCTION");
            return p == null || p.isNull() ? "" : " (production since " + time(p) + ")";
        }
    }

    static String serving(JsonNode roles) {
        if (roles == null || roles.isEmpty()) {
            return "fallback";
        }
        StringBuilder s = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = roles.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            s.append(s.length() == 0 ? "" : " ").append(r.getKey().equals("PRODUCTION") ? "" : r.getKey().toLowerCase()
                    + ":").append('v').append(r.getValue().asText());
        }
        return s.toString();
    }

    @Command(name = "jobs", description = "Training jobs: trigger and reason, progress, gate decision, outcome.")
    static final class Jobs implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
        @Mixin
        OpsClientOptions client;
        @Option(names = "--model", paramLabel = "KEY", description = "Only this model key.")
        String modelKey;
        @Option(names = "--status", paramLabel = "STATUS", description = "QUEUED, RUNNING, SUCCEEDED, REJECTED or FAILED.")
        String status;
        @Option(names = "--id", paramLabel = "N", description = "One job, in full.")
        Long id;
        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            OpsHttpClient api = client.client();
            PrintStream out = System.out;
            if (id != null) {
                print(out, api.get("/api/jobs/" + id));
                return 0;
            }
            StringBuilder q = new StringBuilder("/api/jobs?limit=" + limit);
            if (modelKey != null) {
                q.append("&key=").append(OpsHttpClient.encode(modelKey));
            }
            if (status != null) {
                q.append("&status=").append(OpsHttpClient.encode(status));
            }
            JsonNode jobs = api.get(q.toString());
            if (client.json) {
                print(out, jobs);
                return 0;
            }
            out.printf("%-5s %-18s %-10s %-5s %-11s %-9s %-21s %s%n", "ID", "KEY", "STATUS", "DONE", "TRIGGER", "GATE",
                    "FINISHED", "MESSAGE");
            for (JsonNode j : jobs) {
                out.printf("%-5s %-18s %-10s %4d%% %-11s %-9s %-21s %s%n", text(j.get("id")), text(j.get("modelKey")),
                        text(j.get("status")), Math.round(j.path("progress").asDouble() * 100), text(j.get("trigger")),
                        text(j.at("/gate/decision")), time(j.get("finishedAt")), text(j.get("message")));
            }
            return 0;
        }
    }

    @Command(name = "history", description = "The serving history: which version served a key, from when, who changed it and why.")
    static final class History implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
        @Mixin
        OpsClientOptions client;
        @Option(names = "--model", paramLabel = "KEY", description = "Only this model key.")
        String modelKey;
        @Option(names = "--limit", defaultValue = "30", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            String q = "/api/history?limit=" + limit + (modelKey == null ? "" : "&key="
                    + OpsHttpClient.encode(modelKey));
            JsonNode history = client.client().get(q);
            PrintStream out = System.out;
            if (client.json) {
                print(out, history);
                return 0;
            }
            out.printf("%-21s %-18s %-11s %-4s %-9s %-14s %s%n", "AT", "KEY", "ROLE", "V", "ACTION", "BY", "REASON");
            for (JsonNode h : history) {
                out.printf("%-21s %-18s %-11s v%-3s %-9s %-14s %s%n", time(h.get("at")), text(h.get("modelKey")),
                        text(h.get("role")), text(h.get("version")), text(h.get("action")), text(h.get("actor")),
                        text(h.get("reason")));
            }
            return 0;
        }
    }
}
