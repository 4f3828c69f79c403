package io.logexaminer.output;

import io.logexaminer.result.ResultTarget;
import io.logexaminer.result.TextFormat;

/**
 * Where {@code query} prints results in a {@link ResultFormat}, on stdout; one target serves every result of a run.
 * CSV and TSV are ClickHouse's own output passed through; the other formats are rendered here from the rows.
 */
public final class ResultRenderers {
    private ResultRenderers() {
    }

    public static ResultTarget create(ResultFormat format, Output output) {
        DataWriter out = new DataWriter(output.data());
        return switch (format) {
            case table -> new ResultTarget.Rows(new TableRenderer(out, output));
            case vertical -> new ResultTarget.Rows(new VerticalRenderer(out, output));
            case json -> new ResultTarget.Rows(JsonRenderer.document(out));
            case jsonl -> new ResultTarget.Rows(JsonRenderer.lines(out));
            case csv -> new ResultTarget.Text(TextFormat.CSV, out);
            case tsv -> new ResultTarget.Text(TextFormat.TSV, out);
        };
    }
}
