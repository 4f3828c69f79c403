package io.logexaminer.result;

/** A column of a query result. */
public record Column(String name, ColumnType type) {
}
