package io.riptide.topology;

import io.riptide.features.FeatureSets;
import io.riptide.schemas.kafka.KafkaSettings;
import io.riptide.serving.RiskLevels;
import io.riptide.schemas.registry.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/TOPOLOGY.md shows the real describe() output; this fails when the topology changes and the docs do not. */
class TopologyDocsTest {

    @Test
    void theDocumentedDescriptionIsTheTopologysOwn() throws Exception {
        StreamConfig config = StreamConfig.defaults(new KafkaSettings("unused:9092", "http://unused", (short) 1,
                Map.of()), "riptide-stream", Path.of("unused")).withHorizons(List.of(15));
        try (LiveModels models = new LiveModels(FeatureSets.liquidation().hash(), FeatureSets.liquidation().names())) {
            String description = StreamTopology.build(config, FeatureSets.liquidation(), models,
                    new InMemorySchemaRegistry()).describe().toString().strip();
            String docs = Files.readString(Path.of("..", "docs", "TOPOLOGY.md"));
            assertTrue(docs.contains(description), "docs/TOPOLOGY.md must contain the current describe() output:\n"
                    + description);
        }
    }
}
