package io.logexaminer.result;

/** Where the results of a run go: as rows to render, or as text the server formats. */
public sealed interface ResultTarget {

    record Rows(RowSink sink) implements ResultTarget {
    }

    record Text(TextFormat format, TextSink sink) implements ResultTarget {
    }
}
