package io.riptide.app.topics;

import io.riptide.app.services.ConfigOptions;
import io.riptide.schemas.kafka.KafkaClientFactory;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.schemas.topics.Topic;
import io.riptide.schemas.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code riptide topics create}: creates every Riptide topic with its partitions and configs (docs/SCHEMAS.md),
 * the one-shot init of a deployment whose broker does not auto-create topics.
 */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Riptide's topics on a Kafka cluster.",
        subcommands = TopicsCommand.Create.class)
public final class TopicsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create every missing Riptide topic (partitions, configs; replication from "
                    + "kafka.replication.factor), align configs of existing ones, and fail on a wrong partition count."})
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Override
        public Integer call() {
            KafkaClientFactory clients = new KafkaClientFactory(KafkaSettings.from(config.load()));
            clients.ensureTopics();
            for (Topic<?> topic : Topics.ALL) {
                System.out.printf("%-28s %d partition(s) %s%n", topic.name(), topic.spec().partitions(),
                        topic.spec().configs().isEmpty() ? "" : topic.spec().configs());
            }
            System.out.println(Topics.ALL.size() + " topics ready");
            return 0;
        }
    }
}
