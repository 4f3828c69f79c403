package io.logexaminer.output;

/** How {@code query} prints results. */
public enum ResultFormat {
    table, csv, tsv, json, jsonl, vertical
}
