package io.logexaminer.clickhouse;

import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.UnaryOperator;

/**
 * Decodes a result's rows on a thread of its own, so that decoding and printing use two cores, and hands them over
 * in batches through a short queue: at most {@link #QUEUED} batches of at most {@link #BATCH_ROWS} rows or about
 * {@link #BATCH_BYTES} bytes of the response wait at any time, so memory stays flat however long the result.
 */
final class RowDecoder implements AutoCloseable {
    static final int BATCH_ROWS = 1024;
    static final long BATCH_BYTES = 1 << 20;
    static final int QUEUED = 4;

    /** Rows decoded, or the failure that ended decoding, or (empty and not failed) the end. */
    record Batch(Object[][] rows, int count, RuntimeException failure) {
        boolean last() {
            return count == 0 || failure != null;
        }
    }

    /**
     * The response's bytes through a buffer, counting those read. The driver reads value by value; a buffer in
     * between spares most calls into the HTTP stream. Unsynchronized: one thread reads it.
     */
    static final class CountingInput extends InputStream {
        private final InputStream in;
        private final byte[] buffer;
        private int position;
        private int limit;
        private long count;

        CountingInput(InputStream in, int size) {
            this.in = in;
            this.buffer = new byte[size];
        }

        @Override
        public int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            count++;
            return buffer[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position == limit) {
                if (len >= buffer.length) {
                    int n = in.read(b, off, len);
                    count += Math.max(n, 0);
                    return n;
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            count += n;
            return n;
        }

        private boolean fill() throws IOException {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            position = 0;
            limit = Math.max(n, 0);
            return n > 0;
        }

        @Override
        public int available() throws IOException {
            return limit - position + in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        long count() {
            return count;
        }
    }

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;

    RowDecoder(ClickHouseBinaryFormatReader reader, CountingInput input, UnaryOperator<Object>[] converters) {
        thread = Thread.ofPlatform().name("clickhouse-rows").daemon().start(() -> decode(reader, input, converters));
    }

    /** The next batch; one with no rows means the result is done. */
    Batch next() throws InterruptedException {
        return queue.take();
    }

    private void decode(ClickHouseBinaryFormatReader reader, CountingInput input, UnaryOperator<Object>[] converters) {
        try {
            while (true) {
                Object[][] rows = new Object[BATCH_ROWS][];
                int count = 0;
                long limit = input.count() + BATCH_BYTES;
                RuntimeException failure = null;
                try {
                    while (count < BATCH_ROWS && input.count() < limit && reader.hasNext()) {
                        reader.next();
                        Object[] values = new Object[converters.length];
                        for (int i = 0; i < values.length; i++) {
                            Object value = reader.readValue(i + 1);
                            values[i] = value == null ? null : converters[i].apply(value);
                        }
                        rows[count++] = values;
                    }
                } catch (RuntimeException e) {
                    failure = e;
                }
                if (count > 0) {
                    queue.put(new Batch(rows, count, null));
                }
                if (failure != null || count < BATCH_ROWS && input.count() < limit) {
                    queue.put(new Batch(rows, 0, failure));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops decoding early (the reader of the rows gave up); the caller closes the response. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
