package io.riptide.schemas.registry;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.Trade;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemorySchemaRegistryTest {

    @Test
    void newVersionForANewSchemaSameIdForTheSameOne() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        int trade = registry.register("s", Trade.getClassSchema());
        int bar = registry.register("s", Bar.getClassSchema());
        assertEquals(trade, registry.register("s", Trade.getClassSchema()));
        assertEquals(List.of(1, 2), registry.versions("s").stream().map(InMemorySchemaRegistry.SubjectVersion::version).toList());
        assertEquals(List.of(trade, bar), registry.versions("s").stream().map(InMemorySchemaRegistry.SubjectVersion::id).toList());
    }

    @Test
    void concurrentRegistrationOfOneSchemaYieldsOneId() throws InterruptedException {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        Set<Integer> ids = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                for (int j = 0; j < 100; j++) {
                    ids.add(registry.register("t-" + (j % 3), Trade.getClassSchema()));
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, ids.size());
        assertEquals(1, registry.versions("t-0").size());
    }

    @Test
    void unknownIdIsNotFound() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> new InMemorySchemaRegistry().getById(5));
        assertEquals(40403, e.errorCode());
    }
}
