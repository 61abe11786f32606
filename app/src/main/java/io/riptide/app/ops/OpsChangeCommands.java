package io.riptide.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.riptide.app.demo.DemoCommand;
import io.riptide.app.services.ConfigOptions;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.OpsResponse;
import io.riptide.schemas.avro.OpsResponseStatus;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.security.OpsRequestSigning;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code riptide ops retrain|rollback|promote}. With {@code --api} the request goes to the trigger's HTTP API
 * (audited under the token's principal); without, to {@code ops.retrain-requests} on Kafka, signed with the same
 * token (the trigger carries it out only if the signature verifies, and audits it under the token's principal). {@code --wait} waits for the final reply: over HTTP by following the request, over Kafka on
 * {@code ops.responses}. Exit code: 0 done (or accepted, without --wait), 1 refused, rejected or failed, 3 no final
 * reply within --timeout.
 */
final class OpsChangeCommands {
    static final int TIMED_OUT = 3;

    private OpsChangeCommands() {
    }

    abstract static class Change implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
        @Mixin
        OpsClientOptions client;
        @Mixin
        ConfigOptions config;
        @Option(names = "--model", required = true, paramLabel = "KEY", description = "Model key, e.g. liquidation-15m.")
        String modelKey;
        @Option(names = "--reason", defaultValue = "requested from the CLI", description = "Why (kept in the audit history).")
        String reason;
        @Option(names = "--by", defaultValue = "${sys:user.name}",
                description = "Who you say you are (default: the OS user); the audit records the principal of the token that signed or sent the request.")
        String requestedBy;
        @Option(names = "--wait", description = "Wait for the final reply (for a retrain: the job's outcome).")
        boolean waitForResult;
        @Option(names = "--timeout", defaultValue = "15m", converter = DemoCommand.DurationConverter.class,
                description = "How long --wait waits (default ${DEFAULT-VALUE}).")
        Duration timeout;

        abstract OpsAction action();

        Integer targetVersion() {
            return null;
        }

        boolean force() {
            return false;
        }

        @Override
        public Integer call() throws Exception {
            if (client.hasApi()) {
                return overHttp();
            }
            return overKafka();
        }

        private int overHttp() throws InterruptedException {
            OpsHttpClient api = client.client();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reason", reason);
            if (force()) {
                body.put("force", true);
            }
            if (targetVersion() != null) {
                body.put("version", targetVersion());
            }
            String requestId = UUID.randomUUID().toString();
            body.put("requestId", requestId);
            OpsHttpClient.Answer answer = api.post("/api/models/" + OpsHttpClient.encode(modelKey) + "/"
                    + action().name().toLowerCase(), body);
            JsonNode reply = answer.body();
            report(reply.path("status").asText(), reply.path("message").asText(), reply.get("jobId"),
                    reply.get("modelVersion"), requestId);
            if (!waitForResult || reply.path("terminal").asBoolean()) {
                return exitCode(reply.path("status").asText(), reply.path("terminal").asBoolean());
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            String lastProgress = "";
            while (System.nanoTime() < deadline) {
                Thread.sleep(1_000);
                JsonNode request = api.get("/api/requests/" + OpsHttpClient.encode(requestId));
                if (request.path("terminal").asBoolean()) {
                    report(request.path("status").asText(), request.path("message").asText(), request.get("jobId"),
                            request.get("modelVersion"), requestId);
                    return exitCode(request.path("status").asText(), true);
                }
                if (request.hasNonNull("jobId")) {
                    JsonNode job = api.get("/api/jobs/" + request.get("jobId").asText());
                    String progress = job.path("status").asText() + " " + Math.round(job.path("progress").asDouble()
                            * 100) + "% " + job.path("message").asText();
                    if (!progress.equals(lastProgress)) {
                        System.out.println("  job " + request.get("jobId").asText() + " " + progress);
                        lastProgress = progress;
                    }
                }
            }
            System.out.println("no final reply to " + requestId + " within " + timeout.toSeconds()
                    + " s; follow it with GET /api/requests/" + requestId);
            return TIMED_OUT;
        }

        private int overKafka() throws Exception {
            if (client.token == null || client.token.isBlank()) {
                throw new IllegalArgumentException("ops requests over Kafka are signed with your ops token: give "
                        + "--token or set RIPTIDE_OPS_TOKEN (riptide ops token makes one)");
            }
            RetrainRequest request = OpsRequestSigning.sign(RetrainRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString()).setModelKey(modelKey).setAction(action())
                    .setRequestedBy(requestedBy).setReason(reason).setForce(force()).setTargetVersion(targetVersion())
                    .setTimeMs(System.currentTimeMillis()).build(), client.token.strip());
            KafkaClientFactory clients = new KafkaClientFactory(KafkaSettings.from(config.load()));
            try (KafkaConsumer<String, OpsResponse> replies = waitForResult
                    ? clients.consumer("riptide-ops-cli-" + UUID.randomUUID(), Topics.OPS_RESPONSES) : null;
                 KafkaProducer<String, SpecificRecord> producer = clients.producer("riptide-ops", null)) {
                if (replies != null) {
                    // from the end, and resolved before sending, so the reply cannot slip past
                    List<TopicPartition> partitions = new ArrayList<>();
                    replies.partitionsFor(Topics.OPS_RESPONSES.name(), Duration.ofSeconds(30))
                            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                    replies.assign(partitions);
                    replies.seekToEnd(partitions);
                    partitions.forEach(replies::position);
                }
                RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.RETRAIN_REQUESTS.name(), modelKey,
                        request)).get(30, TimeUnit.SECONDS);
                System.out.printf("%s request %s for %s sent (%s-%d@%d)%n", action(), request.getRequestId(),
                        modelKey, sent.topic(), sent.partition(), sent.offset());
                if (replies == null) {
                    return 0;
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, OpsResponse> r : replies.poll(Duration.ofMillis(500))) {
                        OpsResponse reply = r.value();
                        if (!reply.getRequestId().equals(request.getRequestId())) {
                            continue;
                        }
                        report(reply.getStatus().name(), reply.getMessage(), reply.getJobId(), reply.getModelVersion(),
                                reply.getRequestId());
                        if (reply.getTerminal()) {
                            return exitCode(reply.getStatus().name(), true);
                        }
                    }
                }
                System.out.println("no final reply to " + request.getRequestId() + " on " + Topics.OPS_RESPONSES.name()
                        + " within " + timeout.toSeconds() + " s (is the trigger running?)");
                return TIMED_OUT;
            }
        }

        private static void report(String status, String message, Object jobId, Object version, String requestId) {
            PrintStream out = System.out;
            StringBuilder line = new StringBuilder(status).append(": ").append(message);
            if (jobId != null && !(jobId instanceof JsonNode j && j.isNull())) {
                line.append(" [job ").append(jobId instanceof JsonNode j ? j.asText() : jobId).append(']');
            }
            if (version != null && !(version instanceof JsonNode v && v.isNull())) {
                line.append(" [v").append(version instanceof JsonNode v ? v.asText() : version).append(']');
            }
            out.println(line.append(" (request ").append(requestId).append(')'));
        }

        private static int exitCode(String status, boolean terminal) {
            if (!terminal) {
                return 0; // accepted; its outcome follows
            }
            return OpsResponseStatus.SUCCEEDED.name().equals(status) ? 0 : 1;
        }
    }

    @Command(name = "retrain", description = "Queue a manual retrain of a model key (no cooldown, highest priority).")
    static final class Retrain extends Change {
        @Option(names = "--force", description = "Skip the quality gates (the token needs the force role).")
        boolean force;

        @Override
        OpsAction action() {
            return OpsAction.RETRAIN;
        }

        @Override
        boolean force() {
            return force;
        }
    }

    @Command(name = "rollback", description = "Serve an earlier version again (default: the one before the current).")
    static final class Rollback extends Change {
        @Option(names = "--version", paramLabel = "N", description = "Version to roll back to (default: the previous one).")
        Integer version;

        @Override
        OpsAction action() {
            return OpsAction.ROLLBACK;
        }

        @Override
        Integer targetVersion() {
            return version;
        }
    }

    @Command(name = "promote", description = "Make a given version the production version of its key.")
    static final class Promote extends Change {
        @Option(names = "--version", required = true, paramLabel = "N", description = "Version to promote.")
        Integer version;

        @Override
        OpsAction action() {
            return OpsAction.PROMOTE;
        }

        @Override
        Integer targetVersion() {
            return version;
        }
    }
}
