package io.logexaminer.clickhouse;

import com.clickhouse.client.api.data_formats.internal.BinaryStreamReader;
import com.clickhouse.data.ClickHouseColumn;
import io.logexaminer.result.Column;
import io.logexaminer.result.ColumnType;
import io.logexaminer.result.ColumnType.Kind;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The driver's columns and values turned into the plain types of {@link ColumnType}. */
final class ResultColumns {
    private ResultColumns() {
    }

    static Column column(ClickHouseColumn column) {
        return new Column(column.getColumnName(), type(column));
    }

    static ColumnType type(ClickHouseColumn column) {
        String name = column.getOriginalTypeName();
        List<ClickHouseColumn> nested = column.getNestedColumns();
        return switch (column.getDataType()) {
            case Bool -> ColumnType.of(name, Kind.BOOL);
            case Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Int128, UInt128, Int256, UInt256 ->
                    ColumnType.of(name, Kind.INTEGER);
            case BFloat16, Float32, Float64 -> ColumnType.of(name, Kind.FLOAT);
            case Decimal, Decimal32, Decimal64, Decimal128, Decimal256 -> ColumnType.of(name, Kind.DECIMAL);
            case Date, Date32 -> ColumnType.of(name, Kind.DATE);
            case DateTime, DateTime32 -> ColumnType.of(name, Kind.DATETIME);
            case DateTime64 -> new ColumnType(name, Kind.DATETIME, column.getScale(), List.of(), List.of());
            case UUID -> ColumnType.of(name, Kind.UUID);
            case Array -> new ColumnType(name, Kind.ARRAY, 0, List.of(type(nested.get(0))), List.of());
            case Map -> new ColumnType(name, Kind.MAP, 0, List.of(type(column.getKeyInfo()), type(column.getValueInfo())), List.of());
            case Tuple -> tuple(name, nested);
            case Nested -> new ColumnType(name, Kind.ARRAY, 0, List.of(tuple(name, nested)), List.of());
            case SimpleAggregateFunction -> type(nested.get(0));
            case Variant, Dynamic, JSON, Object, AggregateFunction, Point, Ring, LineString, Polygon, MultiLineString,
                 MultiPolygon, QBit -> ColumnType.of(name, Kind.ANY);
            default -> ColumnType.of(name, Kind.STRING);
        };
    }

    private static ColumnType tuple(String name, List<ClickHouseColumn> fields) {
        List<ColumnType> types = fields.stream().map(ResultColumns::type).toList();
        List<String> names = fields.stream().map(ClickHouseColumn::getColumnName).toList();
        boolean named = names.stream().noneMatch(String::isEmpty);
        return new ColumnType(name, Kind.TUPLE, 0, types, named ? names : List.of());
    }

    /** Turns what the driver read for {@code column} into the plain type; the identity where nothing changes. */
    static UnaryOperator<Object> converter(ClickHouseColumn column) {
        List<ClickHouseColumn> nested = column.getNestedColumns();
        return switch (column.getDataType()) {
            // Most UInt64 values fit a long, which prints far faster than the BigInteger the driver reads.
            case UInt64 -> value -> value instanceof BigInteger b && b.bitLength() < 64 ? (Object) b.longValue() : value;
            case Bool, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, Int128, UInt128, Int256, UInt256,
                 BFloat16, Float32, Float64, Decimal, Decimal32, Decimal64, Decimal128, Decimal256, String, UUID,
                 DateTime, DateTime32, DateTime64 -> UnaryOperator.identity();
            case Date, Date32 -> value -> value instanceof ZonedDateTime z ? z.toLocalDate() : value;
            case Time -> value -> value instanceof Number n ? time(n.longValue(), 0) : plain(value);
            case Time64 -> value -> value instanceof Number n ? time(n.longValue(), column.getScale()) : plain(value);
            case Array, Nested -> {
                UnaryOperator<Object> element = column.getDataType() == com.clickhouse.data.ClickHouseDataType.Nested
                        ? tupleConverter(nested) : converter(nested.get(0));
                yield value -> list(value, element);
            }
            case Map -> {
                UnaryOperator<Object> key = converter(column.getKeyInfo());
                UnaryOperator<Object> val = converter(column.getValueInfo());
                yield value -> {
                    if (!(value instanceof Map<?, ?> map)) {
                        return plain(value);
                    }
                    Map<Object, Object> converted = new LinkedHashMap<>();
                    map.forEach((k, v) -> converted.put(k == null ? null : key.apply(k), v == null ? null : val.apply(v)));
                    return converted;
                };
            }
            case Tuple -> tupleConverter(nested);
            case SimpleAggregateFunction -> converter(nested.get(0));
            // Java reads an IPv4-mapped IPv6 address as an IPv4 one.
            case IPv6 -> value -> value instanceof Inet4Address v4 ? "::ffff:" + v4.getHostAddress() : plain(value);
            default -> ResultColumns::plain;
        };
    }

    private static UnaryOperator<Object> tupleConverter(List<ClickHouseColumn> fields) {
        List<UnaryOperator<Object>> converters = fields.stream().map(ResultColumns::converter).toList();
        return value -> {
            if (!(value instanceof Object[] items)) {
                return plain(value);
            }
            List<Object> converted = new ArrayList<>(items.length);
            for (int i = 0; i < items.length; i++) {
                Object item = items[i];
                converted.add(item == null ? null : i < converters.size() ? converters.get(i).apply(item) : plain(item));
            }
            return converted;
        };
    }

    private static Object list(Object value, UnaryOperator<Object> element) {
        List<?> items = switch (value) {
            case BinaryStreamReader.ArrayValue array -> array.asList();
            case List<?> list -> list;
            case Object[] array -> Arrays.asList(array);
            default -> null;
        };
        if (items == null) {
            return plain(value);
        }
        List<Object> converted = new ArrayList<>(items.size());
        for (Object item : items) {
            converted.add(item == null ? null : element.apply(item));
        }
        return converted;
    }

    /** A value whose column type does not say what it is (Variant, Dynamic, geo types): converted by its class. */
    static Object plain(Object value) {
        return switch (value) {
            case null -> null;
            case BinaryStreamReader.EnumValue e -> e.name;
            case BinaryStreamReader.ArrayValue array -> list(array, ResultColumns::plain);
            case Object[] items -> list(items, ResultColumns::plain);
            case List<?> items -> list(items, ResultColumns::plain);
            case double[] items -> Arrays.stream(items).boxed().toList();
            case Map<?, ?> map -> {
                Map<Object, Object> converted = new LinkedHashMap<>();
                map.forEach((k, v) -> converted.put(plain(k), plain(v)));
                yield converted;
            }
            case Inet4Address ip -> ip.getHostAddress();
            case Inet6Address ip -> ipv6(ip);
            case InetAddress ip -> ip.getHostAddress();
            case Duration d -> d.toString();
            case Period p -> p.toString();
            case LocalDate d -> d;
            default -> value.getClass().isArray() ? value.toString() : value;
        };
    }

    /** ClickHouse's spelling of an IPv6 address: zeros compressed (RFC 5952), IPv4-mapped ones as ::ffff:a.b.c.d. */
    static String ipv6(Inet6Address address) {
        byte[] b = address.getAddress();
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** ClickHouse's Time and Time64: [-]h:mm:ss with {@code scale} fractional digits. */
    static String time(long value, int scale) {
        long unit = 1;
        for (int i = 0; i < scale; i++) {
            unit *= 10;
        }
        String sign = value < 0 ? "-" : "";
        long magnitude = Math.abs(value);
        long seconds = magnitude / unit;
        String text = String.format("%s%02d:%02d:%02d", sign, seconds / 3600, seconds / 60 % 60, seconds % 60);
        return scale == 0 ? text : text + "." + String.format("%0" + scale + "d", magnitude % unit);
    }
}
