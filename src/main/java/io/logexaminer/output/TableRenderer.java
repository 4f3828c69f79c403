package io.logexaminer.output;

import io.logexaminer.result.Column;
import io.logexaminer.result.RowSink;

import java.util.ArrayList;
import java.util.List;

/**
 * A boxed table for a terminal, like clickhouse-client's PrettyCompact. The first {@link #SAMPLE_ROWS} rows size
 * the columns (each at most {@link #MAX_WIDTH} wide); after them rows stream at those widths, so memory stays the
 * same whatever the row count. Longer text is cut with an ellipsis; a longer number is never cut, it pushes its row
 * out of line instead. Numbers are right-aligned; control characters show escaped so that a row stays one line.
 */
final class TableRenderer implements RowSink {
    static final int SAMPLE_ROWS = 1000;
    static final int MAX_WIDTH = 80;

    private final DataWriter out;
    private final Output painter;
    private List<Column> columns;
    private final List<String[]> sample = new ArrayList<>();
    private int[] widths;
    private boolean[] right;
    private final StringBuilder line = new StringBuilder(256);

    TableRenderer(DataWriter out, Output painter) {
        this.out = out;
        this.painter = painter;
    }

    @Override
    public void start(List<Column> columns) {
        this.columns = columns;
        sample.clear();
        widths = null;
        right = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            right[i] = columns.get(i).type().numeric();
        }
    }

    @Override
    public void row(Object[] values) {
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = values[i] == null ? null : escape(ValueText.of(values[i], columns.get(i).type()));
        }
        if (widths == null) {
            sample.add(cells);
            if (sample.size() == SAMPLE_ROWS) {
                printSample();
            }
        } else {
            printRow(cells);
        }
    }

    @Override
    public void end() {
        if (widths == null) {
            printSample();
        }
        line.setLength(0);
        line.append('└');
        for (int i = 0; i < widths.length; i++) {
            line.append(i == 0 ? "" : "┴").append("─".repeat(widths[i] + 2));
        }
        out.append(line.append("┘\n"));
        out.flush();
    }

    private void printSample() {
        widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.min(MAX_WIDTH, Math.max(width(columns.get(i).name()), 1));
            for (String[] cells : sample) {
                widths[i] = Math.min(MAX_WIDTH, Math.max(widths[i], cells[i] == null ? 4 : width(cells[i])));
            }
        }
        line.setLength(0);
        line.append('┌');
        for (int i = 0; i < widths.length; i++) {
            String name = fit(escape(columns.get(i).name()), widths[i]);
            String fill = "─".repeat(widths[i] - width(name));
            line.append(i == 0 ? "─" : "─┬─");
            if (right[i]) {
                line.append(fill).append(painter.paint(name, Output.Style.BOLD));
            } else {
                line.append(painter.paint(name, Output.Style.BOLD)).append(fill);
            }
        }
        out.append(line.append("─┐\n"));
        for (String[] cells : sample) {
            printRow(cells);
        }
        sample.clear();
    }

    private void printRow(String[] cells) {
        line.setLength(0);
        for (int i = 0; i < cells.length; i++) {
            line.append(i == 0 ? "│ " : " │ ");
            String cell = cells[i] == null ? "NULL" : right[i] ? cells[i] : fit(cells[i], widths[i]);
            String pad = " ".repeat(Math.max(0, widths[i] - width(cell)));
            String shown = cells[i] == null ? painter.paint(cell, Output.Style.DIM) : cell;
            if (right[i]) {
                line.append(pad).append(shown);
            } else {
                line.append(shown).append(pad);
            }
        }
        out.append(line.append(" │\n"));
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String fit(String text, int width) {
        if (width(text) <= width) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, width - 1)) + "…";
    }

    /** Control characters as the escapes a reader knows ({@code \n}, {@code \t}...), so a row stays on one line. */
    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = c >= 0x20 && c != 0x7f ? null : switch (c) {
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                case '\r' -> "\\r";
                case '\0' -> "\\0";
                default -> String.format("\\x%02x", (int) c);
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    @Override
    public void flush() {
        if (widths == null) {
            printSample();
        }
        out.flush();
    }
}
