package io.logexaminer.output;

import io.logexaminer.result.ColumnType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * Values as ClickHouse writes them in its text formats: {@code 2024-01-01 09:00:00.123} (local time in the column's
 * zone), {@code [1,2]}, {@code {'k':1}}, {@code (1,'a')}, floats in their shortest form ({@code 0.1}, {@code 1e21},
 * {@code nan}); inside arrays, maps and tuples strings are quoted and escaped and NULL is {@code NULL}.
 */
final class ValueText {
    private ValueText() {
    }

    /** A top-level value (not null): strings as they are; the caller escapes for its format. */
    static String of(Object value, ColumnType type) {
        if (value instanceof String s) {
            return s;
        }
        StringBuilder text = new StringBuilder();
        append(text, value, type, false);
        return text.toString();
    }

    static void append(StringBuilder out, Object value, ColumnType type, boolean nested) {
        switch (value) {
            case null -> out.append("NULL");
            case String s -> {
                if (nested) {
                    quote(out, s);
                } else {
                    out.append(s);
                }
            }
            case Boolean b -> out.append(b ? "true" : "false");
            case Double d -> out.append(floatText(d, false));
            case Float f -> out.append(floatText(f, true));
            case BigDecimal d -> out.append(d.toPlainString());
            case Number n -> out.append(n.toString());
            case LocalDate d -> {
                if (nested) {
                    quote(out, d.toString());
                } else {
                    date(out, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
                }
            }
            case ZonedDateTime t -> quoteIf(out, dateTime(t, type), nested);
            case List<?> items -> {
                boolean tuple = type.kind() == ColumnType.Kind.TUPLE;
                out.append(tuple ? '(' : '[');
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    append(out, items.get(i), tuple ? type.element(i) : type.element(0), true);
                }
                out.append(tuple ? ')' : ']');
            }
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    append(out, e.getKey(), type.element(0), true);
                    out.append(':');
                    append(out, e.getValue(), type.element(1), true);
                }
                out.append('}');
            }
            default -> quoteIf(out, value.toString(), nested);
        }
    }

    private static void quoteIf(StringBuilder out, String text, boolean nested) {
        if (nested) {
            quote(out, text);
        } else {
            out.append(text);
        }
    }

    /** ClickHouse's quoted string: in single quotes, with backslash escapes. */
    private static void quote(StringBuilder out, String s) {
        out.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\0' -> out.append("\\0");
                default -> out.append(c);
            }
        }
        out.append('\'');
    }

    /** {@code yyyy-MM-dd HH:mm:ss} and, for a DateTime64, as many fractional digits as its precision. */
    static String dateTime(ZonedDateTime t, ColumnType type) {
        StringBuilder out = new StringBuilder(29);
        date(out, t.getYear(), t.getMonthValue(), t.getDayOfMonth()).append(' ');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond());
        fraction(out, t.getNano(), type.kind() == ColumnType.Kind.DATETIME ? type.scale() : -1);
        return out.toString();
    }

    private static StringBuilder date(StringBuilder out, int year, int month, int day) {
        if (year >= 0 && year < 1000) {
            out.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        out.append(year).append('-');
        two(out, month).append('-');
        return two(out, day);
    }

    /** {@code .ddd} with {@code digits} digits; with -1 (precision unknown), as few as the value needs. */
    static void fraction(StringBuilder out, int nanos, int digits) {
        if (digits == 0 || digits < 0 && nanos == 0) {
            return;
        }
        String all = Integer.toString(1_000_000_000 + nanos).substring(1);
        if (digits < 0) {
            int end = all.length();
            while (all.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(all, 0, end);
        } else {
            out.append('.').append(all, 0, Math.min(digits, 9));
            for (int i = 9; i < digits; i++) {
                out.append('0');
            }
        }
    }

    private static StringBuilder two(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        return out.append(value);
    }

    /**
     * A float the way ClickHouse writes it: the shortest digits that read back to the same value, in plain notation
     * when the decimal exponent is from -6 to 20 and as {@code 1.5e-7} otherwise; {@code nan}, {@code inf}, {@code -inf}.
     */
    static String floatText(double value, boolean single) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return value == 0 && 1 / value < 0 ? "-0" : Long.toString((long) value);
        }
        String shortest = single ? Float.toString((float) value) : Double.toString(value);
        int e = shortest.indexOf('E');
        if (e < 0) {
            return shortest;
        }
        // d.dddEx: the digits without the point, and the decimal exponent of the first one.
        int start = shortest.charAt(0) == '-' ? 1 : 0;
        String digits = shortest.substring(start, start + 1) + shortest.substring(start + 2, e);
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        int exponent = Integer.parseInt(shortest.substring(e + 1));
        StringBuilder text = new StringBuilder(32).append(shortest, 0, start);
        if (exponent >= 21 || exponent <= -7) {
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            return text.append('e').append(exponent).toString();
        }
        if (exponent < 0) {
            return text.append("0.").append("0".repeat(-exponent - 1)).append(digits).toString();
        }
        if (digits.length() <= exponent + 1) {
            return text.append(digits).append("0".repeat(exponent + 1 - digits.length())).toString();
        }
        return text.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length()).toString();
    }
}
