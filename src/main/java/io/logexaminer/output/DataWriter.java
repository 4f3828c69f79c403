package io.logexaminer.output;

import io.logexaminer.result.TextSink;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.Writer;

/**
 * Text to stdout as UTF-8 through one large byte buffer, for rows by the million: a line is encoded at once and
 * copied in, rather than passed char by char through a {@link java.io.BufferedWriter} and an encoder; bytes the
 * server formatted pass straight through. A {@link PrintStream} swallows
 * write errors; this checks after each buffer and throws {@link StdoutClosedException} once the reader is gone.
 */
final class DataWriter implements TextSink {
    private static final int BUFFER = 1 << 16;

    private final PrintStream stdout;
    private final byte[] bytes = new byte[BUFFER];
    private int size;

    DataWriter(PrintStream stdout) {
        this.stdout = stdout;
    }

    /** Appends {@code text}; the JDK's own encoder is fastest by far on the mostly-ASCII text of rows. */
    DataWriter append(CharSequence text) {
        byte[] encoded = text.toString().getBytes(StandardCharsets.UTF_8);
        write(encoded, 0, encoded.length);
        return this;
    }

    /** Bytes already encoded as UTF-8. */
    @Override
    public void write(byte[] data, int offset, int length) {
        if (length > BUFFER - size) {
            drain();
            if (length > BUFFER) {
                send(data, offset, length);
                return;
            }
        }
        System.arraycopy(data, offset, bytes, size, length);
        size += length;
    }

    /** Everything written so far, out to stdout. */
    @Override
    public void flush() {
        drain();
        stdout.flush();
        if (stdout.checkError()) {
            throw new StdoutClosedException();
        }
    }

    private void drain() {
        if (size > 0) {
            send(bytes, 0, size);
            size = 0;
        }
    }

    private void send(byte[] data, int offset, int length) {
        stdout.write(data, offset, length);
        if (stdout.checkError()) {
            throw new StdoutClosedException();
        }
    }

    /** The same output as a {@link Writer}, for a JSON generator. */
    Writer writer() {
        return new Writer() {
            @Override
            public void write(char[] text, int offset, int length) {
                DataWriter.this.append(new String(text, offset, length));
            }

            @Override
            public void write(String text, int offset, int length) {
                DataWriter.this.append(text.substring(offset, offset + length));
            }

            @Override
            public void flush() {
                DataWriter.this.flush();
            }

            @Override
            public void close() {
                DataWriter.this.flush();
            }
        };
    }
}
