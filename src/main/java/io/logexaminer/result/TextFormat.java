package io.logexaminer.result;

/** Results the server formats itself, passed through byte for byte: ClickHouse's own writers are the fastest. */
public enum TextFormat {
    /** RFC 4180: a header row, CRLF line ends, NULL as an empty field, an empty string as {@code ""}. */
    CSV,
    /** ClickHouse's TabSeparatedWithNames: a header row, backslash escapes, NULL as {@code \N}. */
    TSV
}
