package io.riptide.schemas.serde;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;

/** Builds evolved copies of a record schema for compatibility tests. */
final class SchemaBuilderHelper {
    private SchemaBuilderHelper() {
    }

    static Schema withExtraDefaultedField(Schema record, String name, long defaultValue) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.LONG), "added later", defaultValue));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
