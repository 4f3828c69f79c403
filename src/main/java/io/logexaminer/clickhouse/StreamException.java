package io.logexaminer.clickhouse;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exception ClickHouse wrote into a result's body: once rows are streaming it can no longer answer with an error
 * status, so it writes the exception's text where the rows were and drops the connection.
 *
 * @param at   where the text starts among the bytes searched
 * @param text the exception, {@code Code: N. DB::Exception: ...}, up to the end of its line
 */
record StreamException(int at, String text) {
    private static final Pattern START = Pattern.compile("Code: \\d+\\. DB::Exception: ");

    /** The last exception text among {@code bytes[0, length)}, if there is one. */
    static Optional<StreamException> find(byte[] bytes, int length) {
        // Latin-1 keeps one char per byte, so a match's index is its place among the bytes.
        Matcher m = START.matcher(new String(bytes, 0, length, StandardCharsets.ISO_8859_1));
        int start = -1;
        while (m.find()) {
            start = m.start();
        }
        if (start < 0) {
            return Optional.empty();
        }
        int end = start;
        while (end < length && bytes[end] != '\n') {
            end++;
        }
        return Optional.of(new StreamException(start, new String(bytes, start, end - start, StandardCharsets.UTF_8)));
    }
}
