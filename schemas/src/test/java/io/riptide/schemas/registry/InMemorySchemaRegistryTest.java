package io.riptide.schemas.registry;

import io.riptide.schemas.avro.Bar;
import io.riptide.schemas.avro.Trade;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemorySchemaRegistryTest {

    @Test
    void newVersionForANewSchemaSameIdForTheSameOne() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        // two unrelated record types under one subject: only allowed without compatibility checks
        registry.setCompatibility("s", CompatibilityLevel.NONE);
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

    static Schema quote(String extraFields) {
        return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Quote\", \"namespace\": \"t\", \"fields\": ["
                + "{\"name\": \"price\", \"type\": \"double\"}" + extraFields + "]}");
    }

    static final Schema V1 = quote(", {\"name\": \"venue\", \"type\": \"string\"}");
    static final Schema V2_ADDS_DEFAULTED_FIELD = quote(", {\"name\": \"venue\", \"type\": \"string\"}, "
            + "{\"name\": \"seq\", \"type\": \"long\", \"default\": -1}");
    static final Schema V3_ADDS_FIELD_WITHOUT_DEFAULT = quote(", {\"name\": \"venue\", \"type\": \"string\"}, "
            + "{\"name\": \"seq\", \"type\": \"long\", \"default\": -1}, {\"name\": \"size\", \"type\": \"double\"}");
    static final Schema V3_REMOVES_A_FIELD = quote(", {\"name\": \"seq\", \"type\": \"long\", \"default\": -1}");

    @Test
    void enforcesBackwardCompatibilityPerSubjectByDefault() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        assertEquals(CompatibilityLevel.BACKWARD, registry.compatibility());
        assertEquals(CompatibilityLevel.BACKWARD, registry.effectiveCompatibility("quotes-value"));
        registry.register("quotes-value", V1);
        registry.register("quotes-value", V2_ADDS_DEFAULTED_FIELD);

        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> registry.register("quotes-value", V3_ADDS_FIELD_WITHOUT_DEFAULT));
        assertEquals(409, e.httpStatus());
        assertEquals(SchemaRegistryException.INCOMPATIBLE_SCHEMA, e.errorCode());
        assertEquals("Schema being registered is incompatible with an earlier schema for subject \"quotes-value\" "
                + "(BACKWARD), details: version 2: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/3: size "
                + "(new schema reading old data)", e.getMessage());
        assertEquals(2, registry.versions("quotes-value").size(), "nothing was added");

        // a reader that no longer has a field simply ignores it in old data
        registry.register("quotes-value", V3_REMOVES_A_FIELD);
        assertEquals(3, registry.versions("quotes-value").size());
        // other subjects are not affected by this one's history
        registry.register("other-value", V3_ADDS_FIELD_WITHOUT_DEFAULT);
    }

    @Test
    void registeringAVersionTheSubjectHasIsNotChecked() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.setCompatibility("q", CompatibilityLevel.NONE);
        int first = registry.register("q", V1);
        registry.register("q", Trade.getClassSchema());
        registry.setCompatibility("q", CompatibilityLevel.BACKWARD);
        assertEquals(first, registry.register("q", V1));
    }

    @Test
    void noneAcceptsAnythingAndTheSubjectLevelWinsOverTheGlobalOne() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register("q", V1);
        registry.setCompatibility("q", CompatibilityLevel.NONE);
        registry.register("q", V3_ADDS_FIELD_WITHOUT_DEFAULT);

        registry.setCompatibility(CompatibilityLevel.NONE);
        registry.register("r", V1);
        registry.setCompatibility("r", CompatibilityLevel.FULL);
        assertThrows(SchemaRegistryException.class, () -> registry.register("r", V3_ADDS_FIELD_WITHOUT_DEFAULT));
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() {
        Schema v1 = quote(", {\"name\": \"venue\", \"type\": \"int\"}");
        Schema v2 = quote("");
        Schema v3 = quote(", {\"name\": \"venue\", \"type\": \"string\", \"default\": \"x\"}");
        InMemorySchemaRegistry backward = new InMemorySchemaRegistry();
        backward.register("q", v1);
        backward.register("q", v2);
        backward.register("q", v3);

        InMemorySchemaRegistry transitive = new InMemorySchemaRegistry();
        transitive.setCompatibility(CompatibilityLevel.BACKWARD_TRANSITIVE);
        transitive.register("q", v1);
        transitive.register("q", v2);
        List<String> problems = transitive.incompatibilities("q", v3);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("version 1: TYPE_MISMATCH at /fields/1/type"), problems.get(0));
        assertThrows(SchemaRegistryException.class, () -> transitive.register("q", v3));
    }

    @Test
    void forwardChecksThatTheOldSchemaReadsNewData() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.setCompatibility(CompatibilityLevel.FORWARD);
        registry.register("q", V1);
        // adding a field without default is forward compatible: old readers ignore it
        registry.register("q", quote(", {\"name\": \"venue\", \"type\": \"string\"}, {\"name\": \"size\", \"type\": \"double\"}"));
        // removing venue is not: old readers need it and have no default
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> registry.register("q",
                quote(", {\"name\": \"size\", \"type\": \"double\"}")));
        assertTrue(e.getMessage().contains("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1: venue "
                + "(old schema reading new data)"), e.getMessage());
    }

    @Test
    void parsesLevelsLikeTheRestApi() {
        assertEquals(CompatibilityLevel.FULL_TRANSITIVE, CompatibilityLevel.parse("full_transitive"));
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> CompatibilityLevel.parse("nope"));
        assertEquals(42203, e.errorCode());
        assertEquals(422, e.httpStatus());
    }
}
