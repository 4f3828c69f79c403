package io.logexaminer.output;

import io.logexaminer.result.Column;
import io.logexaminer.result.RowSink;

import java.util.List;

/** One block per row, a line per column ({@code name: value}), like clickhouse-client's Vertical format. */
final class VerticalRenderer implements RowSink {
    private final DataWriter out;
    private final Output painter;
    private List<Column> columns;
    private String[] labels;
    private long rows;
    private final StringBuilder block = new StringBuilder(512);

    VerticalRenderer(DataWriter out, Output painter) {
        this.out = out;
        this.painter = painter;
    }

    @Override
    public void start(List<Column> columns) {
        this.columns = columns;
        int longest = columns.stream().mapToInt(c -> c.name().codePointCount(0, c.name().length())).max().orElse(0);
        labels = columns.stream().map(c -> painter.paint(c.name() + ":", Output.Style.BOLD)
                + " ".repeat(longest - c.name().codePointCount(0, c.name().length()) + 1)).toArray(String[]::new);
        rows = 0;
    }

    @Override
    public void row(Object[] values) {
        rows++;
        block.setLength(0);
        String title = "Row " + rows + ":";
        block.append(rows == 1 ? "" : "\n").append(title).append('\n').append("─".repeat(title.length())).append('\n');
        for (int i = 0; i < values.length; i++) {
            block.append(labels[i]);
            if (values[i] == null) {
                block.append(painter.paint("NULL", Output.Style.DIM));
            } else {
                block.append(ValueText.of(values[i], columns.get(i).type()));
            }
            block.append('\n');
        }
        out.append(block);
    }

    @Override
    public void end() {
        out.flush();
    }

    @Override
    public void flush() {
        out.flush();
    }
}
