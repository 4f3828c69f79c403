package io.logexaminer.clickhouse;

import io.logexaminer.result.TextSink;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Copies a result the server formatted to a {@link TextSink} as it arrives, counting its lines. The last
 * {@link #HELD} bytes are held back until more follow or the result ends: if the stream breaks, ClickHouse's exception
 * text is there, and it is not a row to print.
 */
final class TextCopy {
    static final int BUFFER = 1 << 17;
    static final int HELD = 8 << 10;

    /** The stream broke after {@code lines} whole lines went out; {@code exception} is what the server wrote, if it did. */
    static final class Broken extends Exception {
        final long lines;
        final Optional<String> exception;

        Broken(long lines, Optional<String> exception, Throwable cause) {
            super(cause);
            this.lines = lines;
            this.exception = exception;
        }
    }

    private final TextSink sink;
    private final boolean csv;
    private final byte[] buffer = new byte[BUFFER];
    private int length;
    private long lines;
    private boolean quoted;
    private boolean empty = true;

    /** @param csv whether line ends inside quoted fields (CSV) do not end a row */
    TextCopy(TextSink sink, boolean csv) {
        this.sink = sink;
        this.csv = csv;
    }

    /** Copies all of {@code in}; returns whether there was anything at all (a statement without a result has nothing). */
    boolean copy(InputStream in) throws Broken {
        while (true) {
            int n;
            try {
                n = in.read(buffer, length, buffer.length - length);
            } catch (IOException | RuntimeException e) {
                Optional<StreamException> server = StreamException.find(buffer, length);
                int keep = server.map(s -> lineStart(s.at())).orElse(length);
                emit(0, keep);
                sink.flush();
                throw new Broken(lines, server.map(StreamException::text), e);
            }
            if (n < 0) {
                emit(0, length);
                sink.flush();
                return !empty;
            }
            length += n;
            if (length > 0) {
                empty = false;
            }
            if (length > HELD) {
                int out = length - HELD;
                emit(0, out);
                System.arraycopy(buffer, out, buffer, 0, HELD);
                length = HELD;
            }
        }
    }

    /** Lines that went out: rows and header, for CSV those ended outside quotes. */
    long lines() {
        return lines;
    }

    /** Just after the last whole, non-blank line before {@code at}: where the exception's text begins to show. */
    private int lineStart(int at) {
        int end = at;
        while (end > 0 && buffer[end - 1] != '\n') {
            end--;
        }
        while (end > 0 && (buffer[end - 1] == '\n' || buffer[end - 1] == '\r')) {
            end--;
        }
        while (end > 0 && end < at && (buffer[end] == '\r' || buffer[end] == '\n') && buffer[end - 1] != '\n') {
            end++;
        }
        return end;
    }

    private void emit(int from, int to) {
        if (to <= from) {
            return;
        }
        byte[] b = buffer;
        long count = lines;
        // Without branches on the bytes: quotes come every few bytes in CSV and would defeat branch prediction.
        if (csv) {
            int inQuotes = quoted ? 1 : 0;
            for (int i = from; i < to; i++) {
                int c = b[i];
                inQuotes ^= c == '"' ? 1 : 0;
                count += (c == '\n' ? 1 : 0) & (inQuotes ^ 1);
            }
            quoted = inQuotes == 1;
        } else {
            for (int i = from; i < to; i++) {
                count += b[i] == '\n' ? 1 : 0;
            }
        }
        lines = count;
        sink.write(b, from, to - from);
    }
}
