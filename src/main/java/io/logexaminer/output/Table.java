package io.logexaminer.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row and aligned columns, numbers to the right. */
public final class Table {
    private final List<String> headers;
    private final boolean[] numeric;
    private final List<List<String>> rows = new ArrayList<>();

    /** {@code numericColumns} are the indexes of the columns to align right. */
    public Table(List<String> headers, int... numericColumns) {
        this.headers = List.copyOf(headers);
        this.numeric = new boolean[headers.size()];
        for (int c : numericColumns) {
            numeric[c] = true;
        }
    }

    public Table row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + headers.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public void print(Output out) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        PrintStream data = out.data();
        data.println(out.paint(line(headers, widths), Output.Style.BOLD));
        rows.forEach(row -> data.println(line(row, widths)));
    }

    private String line(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            if (c > 0) {
                b.append("  ");
            }
            b.append(numeric[c] ? pad + cell : c == cells.size() - 1 ? cell : cell + pad);
        }
        return b.toString();
    }
}
