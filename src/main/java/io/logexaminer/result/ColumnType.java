package io.logexaminer.result;

import java.util.List;

/**
 * The type of a result column, as far as printing it needs: what kind of value it holds, the fractional digits of
 * a DateTime64, and the element types of an Array (one), a Map (key, value) or a Tuple (one per field, with
 * {@code fieldNames} when the tuple names them).
 *
 * <p>Values arrive as plain Java objects: {@code null}; {@link Boolean}; {@link Byte}, {@link Short},
 * {@link Integer}, {@link Long} or {@link java.math.BigInteger}; {@link Float} or {@link Double};
 * {@link java.math.BigDecimal}; {@link String} (strings, enums, IP addresses and anything printed as text);
 * {@link java.time.LocalDate}; {@link java.time.ZonedDateTime} in the column's time zone; {@link java.util.UUID};
 * {@link List} for arrays and tuples; {@link java.util.Map} for maps.
 *
 * @param name the server's spelling of the type, for example {@code Nullable(DateTime64(3, 'Asia/Tokyo'))}
 */
public record ColumnType(String name, Kind kind, int scale, List<ColumnType> elements, List<String> fieldNames) {

    public enum Kind {
        BOOL, INTEGER, FLOAT, DECIMAL, STRING, DATE, DATETIME, UUID, ARRAY, MAP, TUPLE,
        /** A value whose type varies by row (Variant, Dynamic, JSON): printed by what it holds. */
        ANY
    }

    public ColumnType {
        elements = List.copyOf(elements);
        fieldNames = List.copyOf(fieldNames);
    }

    public static ColumnType of(String name, Kind kind) {
        return new ColumnType(name, kind, 0, List.of(), List.of());
    }

    public boolean numeric() {
        return kind == Kind.INTEGER || kind == Kind.FLOAT || kind == Kind.DECIMAL;
    }

    /** The type of element {@code i} (the only one for an array); {@link Kind#ANY} when unknown. */
    public ColumnType element(int i) {
        return i < elements.size() ? elements.get(i) : of("", Kind.ANY);
    }
}
