package io.logexaminer.output;

/** {@code -o text|json}. */
public enum OutputFormat {
    text, json
}
