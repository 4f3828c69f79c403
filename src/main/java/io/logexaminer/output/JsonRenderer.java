package io.logexaminer.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.logexaminer.result.Column;
import io.logexaminer.result.ColumnType;
import io.logexaminer.result.RowSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * JSON with JSON's own types: numbers as numbers (64-bit and wider integers and decimals exact), NaN and infinities
 * as null, Bool as true/false, DateTime as ISO 8601 with its offset ({@code 2024-01-01T09:00:00.123+09:00}),
 * arrays and unnamed tuples as arrays, maps and named tuples as objects. {@code jsonl}: one object per row and line.
 * {@code json}: one document per result, {@code {"meta": [{"name", "type"}...], "data": [rows...], "rows": N}},
 * written as the rows arrive.
 */
final class JsonRenderer implements RowSink {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final DataWriter out;
    private final boolean lines;
    private final JsonGenerator json;
    private List<Column> columns;
    private SerializedString[] names;
    private long rows;

    private JsonRenderer(DataWriter out, boolean lines) {
        this.out = out;
        this.lines = lines;
        try {
            this.json = FACTORY.createGenerator(out.writer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        // The document's layout is written raw around the generated objects: no separator between them.
        json.setRootValueSeparator(null);
    }

    static JsonRenderer document(DataWriter out) {
        return new JsonRenderer(out, false);
    }

    static JsonRenderer lines(DataWriter out) {
        return new JsonRenderer(out, true);
    }

    @Override
    public void start(List<Column> columns) {
        this.columns = columns;
        names = columns.stream().map(c -> new SerializedString(c.name())).toArray(SerializedString[]::new);
        rows = 0;
        if (lines) {
            return;
        }
        try {
            json.writeRaw("{\n  \"meta\": [");
            for (int i = 0; i < columns.size(); i++) {
                json.writeRaw(i == 0 ? "\n    " : ",\n    ");
                json.writeStartObject();
                json.writeStringField("name", columns.get(i).name());
                json.writeStringField("type", columns.get(i).type().name());
                json.writeEndObject();
            }
            json.writeRaw("\n  ],\n  \"data\": [");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void row(Object[] values) {
        try {
            if (!lines) {
                json.writeRaw(rows == 0 ? "\n    " : ",\n    ");
            }
            json.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                json.writeFieldName(names[i]);
                value(values[i], columns.get(i).type());
            }
            json.writeEndObject();
            if (lines) {
                json.writeRaw('\n');
            }
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void end() {
        try {
            if (!lines) {
                json.writeRaw((rows == 0 ? "" : "\n  ") + "],\n  \"rows\": " + rows + "\n}\n");
            }
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    private void value(Object value, ColumnType type) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String s -> json.writeString(s);
            case Boolean b -> json.writeBoolean(b);
            case Integer n -> json.writeNumber(n);
            case Long n -> json.writeNumber(n);
            case Short n -> json.writeNumber(n);
            case Byte n -> json.writeNumber(n);
            case BigInteger n -> json.writeNumber(n);
            case BigDecimal d -> json.writeNumber(d.toPlainString());
            case Double d -> floating(d, false);
            case Float f -> floating(f, true);
            case LocalDate d -> json.writeString(d.toString());
            case ZonedDateTime t -> json.writeString(isoDateTime(t, type));
            case List<?> items -> list(items, type);
            case Map<?, ?> map -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Object key = e.getKey();
                    json.writeFieldName(key == null ? "null" : ValueText.of(key, type.element(0)));
                    value(e.getValue(), type.element(1));
                }
                json.writeEndObject();
            }
            default -> json.writeString(value.toString());
        }
    }

    private void list(List<?> items, ColumnType type) throws IOException {
        boolean tuple = type.kind() == ColumnType.Kind.TUPLE;
        if (tuple && type.fieldNames().size() == items.size()) {
            json.writeStartObject();
            for (int i = 0; i < items.size(); i++) {
                json.writeFieldName(type.fieldNames().get(i));
                value(items.get(i), type.element(i));
            }
            json.writeEndObject();
            return;
        }
        json.writeStartArray();
        for (int i = 0; i < items.size(); i++) {
            value(items.get(i), tuple ? type.element(i) : type.element(0));
        }
        json.writeEndArray();
    }

    private void floating(double value, boolean single) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            json.writeNull();
        } else {
            json.writeNumber(ValueText.floatText(value, single));
        }
    }

    /** ISO 8601 with the offset in force at that instant in the column's zone, and the column's fractional digits. */
    static String isoDateTime(ZonedDateTime t, ColumnType type) {
        String text = ValueText.dateTime(t, type);
        String offset = t.getOffset().getId();
        return text.substring(0, 10) + 'T' + text.substring(11) + offset;
    }

    @Override
    public void flush() {
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }
}
