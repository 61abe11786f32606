package io.riptide.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** A hand-written specific record that nests itself, so a record can be made as deep as its bytes allow. */
public final class DeepNest extends SpecificRecordBase {
    public static final Schema SCHEMA$ = new Schema.Parser().parse("""
            {"type": "record", "name": "DeepNest", "namespace": "io.riptide.schemas.serde",
             "fields": [{"name": "inner", "type": ["null", "DeepNest"], "default": null}]}""");

    private DeepNest inner;

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return inner;
    }

    @Override
    public void put(int field, Object value) {
        inner = (DeepNest) value;
    }
}
