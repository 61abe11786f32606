package io.riptide.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

import java.util.function.Supplier;

/** A hand-written specific record whose field setter throws what a test chooses, standing in for a failing decoder. */
public final class ThrowingRecord extends SpecificRecordBase {
    public static final Schema SCHEMA$ = new Schema.Parser().parse("""
            {"type": "record", "name": "ThrowingRecord", "namespace": "io.riptide.schemas.serde",
             "fields": [{"name": "n", "type": "int"}]}""");

    static volatile Supplier<Throwable> toThrow = () -> new AssertionError("not set");

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return 0;
    }

    @Override
    public void put(int field, Object value) {
        Throwable t = toThrow.get();
        if (t instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) t;
    }
}
