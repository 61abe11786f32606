package io.riptide.app.ops;

import io.riptide.app.services.ConfigOptions;
import io.riptide.schemas.avro.OpsAction;
import io.riptide.schemas.avro.RetrainRequest;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code riptide ops retrain|rollback|promote}: publish an ops request to {@code ops.retrain-requests}. */
@Command(name = "ops", mixinStandardHelpOptions = true,
        description = "Ask the retrain trigger to retrain, roll back or promote a model key.")
public final class OpsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", paramLabel = "ACTION", description = "retrain, rollback or promote")
    String action;

    @Option(names = "--model", required = true, paramLabel = "KEY", description = "Model key, e.g. liquidation-15m")
    String modelKey;

    @Option(names = "--version", paramLabel = "N", description = "Target version (rollback: default the previous one; promote: required)")
    Integer version;

    @Option(names = "--reason", defaultValue = "requested from the CLI", description = "Why (kept in the audit history).")
    String reason;

    @Option(names = "--by", defaultValue = "${sys:user.name}", description = "Who asks (default: the OS user).")
    String requestedBy;

    @Option(names = "--force", description = "Retrain: skip the quality gates.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        OpsAction opsAction = switch (action.toLowerCase()) {
            case "retrain" -> OpsAction.RETRAIN;
            case "rollback" -> OpsAction.ROLLBACK;
            case "promote" -> OpsAction.PROMOTE;
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "': expected retrain, rollback or promote");
        };
        if (opsAction == OpsAction.PROMOTE && version == null) {
            throw new IllegalArgumentException("promote needs --version");
        }
        RetrainRequest request = RetrainRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setModelKey(modelKey).setAction(opsAction).setRequestedBy(requestedBy).setReason(reason)
                .setForce(force).setTargetVersion(version).setTimeMs(System.currentTimeMillis()).build();
        KafkaClientFactory clients = new KafkaClientFactory(KafkaSettings.from(config.load()));
        try (KafkaProducer<String, SpecificRecord> producer = clients.producer("riptide-ops", null)) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.RETRAIN_REQUESTS.name(), modelKey,
                    request)).get(30, TimeUnit.SECONDS);
            System.out.printf("%s request %s for %s sent (%s-%d@%d)%n", opsAction, request.getRequestId(), modelKey,
                    sent.topic(), sent.partition(), sent.offset());
        }
        return 0;
    }
}
