package io.logexaminer.output;

import io.logexaminer.result.RowSink;

/** The renderer that prints query results to stdout in a {@link ResultFormat}; one serves every result of a run. */
public final class ResultRenderers {
    private ResultRenderers() {
    }

    public static RowSink create(ResultFormat format, Output output) {
        DataWriter out = new DataWriter(output.data());
        return switch (format) {
            case table -> new TableRenderer(out, output);
            case vertical -> new VerticalRenderer(out, output);
            case csv -> DelimitedRenderer.csv(out);
            case tsv -> DelimitedRenderer.tsv(out);
            case json -> JsonRenderer.document(out);
            case jsonl -> JsonRenderer.lines(out);
        };
    }
}
