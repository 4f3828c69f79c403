package io.logexaminer.output;

import io.logexaminer.result.Column;
import io.logexaminer.result.ColumnType;
import io.logexaminer.result.RowSink;

import java.util.List;
import java.util.Map;

/**
 * CSV (RFC 4180: a header row, fields quoted when they hold a comma, quote or line break, quotes doubled, CRLF
 * line ends; NULL is an empty field and an empty string is {@code ""}) or TSV (ClickHouse's TabSeparatedWithNames:
 * a header row, backslash escapes, NULL as {@code \N}).
 */
final class DelimitedRenderer implements RowSink {
    private final DataWriter out;
    private final boolean csv;
    private final StringBuilder line = new StringBuilder(256);
    private List<ColumnType> types;

    private DelimitedRenderer(DataWriter out, boolean csv) {
        this.out = out;
        this.csv = csv;
    }

    static DelimitedRenderer csv(DataWriter out) {
        return new DelimitedRenderer(out, true);
    }

    static DelimitedRenderer tsv(DataWriter out) {
        return new DelimitedRenderer(out, false);
    }

    @Override
    public void start(List<Column> columns) {
        types = columns.stream().map(Column::type).toList();
        line.setLength(0);
        for (int i = 0; i < columns.size(); i++) {
            separate(i);
            field(columns.get(i).name());
        }
        endLine();
    }

    @Override
    public void row(Object[] values) {
        line.setLength(0);
        for (int i = 0; i < values.length; i++) {
            separate(i);
            Object value = values[i];
            if (value == null) {
                if (!csv) {
                    line.append("\\N");
                }
            } else if (value instanceof String s) {
                field(s);
            } else if (csv && (value instanceof List<?> || value instanceof Map<?, ?>)) {
                field(ValueText.of(value, types.get(i)));
            } else {
                // Numbers, dates, UUIDs need no quoting; in TSV, ClickHouse's text of arrays, maps and tuples holds
                // no tab, newline or backslash that is not already escaped inside its quoted strings.
                ValueText.append(line, value, types.get(i), false);
            }
        }
        endLine();
    }

    @Override
    public void end() {
        out.flush();
    }

    private void separate(int column) {
        if (column > 0) {
            line.append(csv ? ',' : '\t');
        }
    }

    private void endLine() {
        line.append(csv ? "\r\n" : "\n");
        out.append(line);
    }

    private void field(String text) {
        if (csv) {
            csvField(text);
        } else {
            tsvField(text);
        }
    }

    private void csvField(String text) {
        boolean quote = text.isEmpty();
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            line.append(text);
            return;
        }
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }

    private void tsvField(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\\' -> line.append("\\\\");
                case '\'' -> line.append("\\'");
                case '\b' -> line.append("\\b");
                case '\f' -> line.append("\\f");
                case '\0' -> line.append("\\0");
                default -> line.append(c);
            }
        }
    }

    @Override
    public void flush() {
        out.flush();
    }
}
