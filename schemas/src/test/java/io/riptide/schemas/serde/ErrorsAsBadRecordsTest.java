package io.riptide.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ErrorsAsBadRecordsTest {
    @Test
    void anErrorBecomesASerializationExceptionSoTheConsumerNamesTheRecord() {
        Deserializer<String> failing = (topic, data) -> {
            throw new StackOverflowError();
        };
        SerializationException e = assertThrows(SerializationException.class,
                () -> new ErrorsAsBadRecords<>(failing).deserialize("t", new byte[]{1}));
        assertEquals(StackOverflowError.class, e.getCause().getClass());
    }

    @Test
    void outOfMemoryAndRuntimeExceptionsPassThroughAndValuesComeBack() {
        OutOfMemoryError oom = new OutOfMemoryError("heap");
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> new ErrorsAsBadRecords<String>((t, d) -> {
            throw oom;
        }).deserialize("t", new byte[]{1})));
        IllegalStateException bad = new IllegalStateException("bad");
        assertSame(bad, assertThrows(IllegalStateException.class, () -> new ErrorsAsBadRecords<String>((t, d) -> {
            throw bad;
        }).deserialize("t", new byte[]{1})));
        assertEquals("x", new ErrorsAsBadRecords<String>((t, d) -> "x").deserialize("t", new byte[]{1}));
    }
}
