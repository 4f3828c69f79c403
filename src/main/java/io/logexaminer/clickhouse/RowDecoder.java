package io.logexaminer.clickhouse;

import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.internal.org.apache.hc.core5.http.io.EofSensorInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
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

    /**
     * Rows decoded, or the failure that ended decoding (with the server's exception when it wrote one into the
     * body), or (empty and not failed) the end.
     */
    record Batch(Object[][] rows, int count, RuntimeException failure, Optional<String> serverError) {
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

        /**
         * Drops the connection under the response. Closing it instead would read the rest of the result first, which
         * for a reader that gave up may be billions of rows.
         */
        void abort() {
            try {
                if (in instanceof EofSensorInputStream response) {
                    response.abort();
                } else {
                    in.close();
                }
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }

        long count() {
            return count;
        }

        /**
         * The exception ClickHouse wrote into the body once rows were streaming, if it is in the bytes around where
         * reading stopped (what the buffer holds and up to {@code more} bytes not read yet), and where in the stream
         * it starts.
         */
        Optional<Located> exception(int more) {
            byte[] bytes = Arrays.copyOf(buffer, limit + more);
            int n = limit;
            try {
                int r;
                while (n < bytes.length && (r = in.read(bytes, n, bytes.length - n)) > 0) {
                    n += r;
                }
            } catch (IOException | RuntimeException endOfStream) {
                // the connection dropped: what arrived before it is all there is
            }
            long first = count - position;
            return StreamException.find(bytes, n).map(e -> new Located(first + e.at(), e.text()));
        }

        /** An exception's text and where in the stream it starts. */
        record Located(long offset, String text) {
        }
    }

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;

    /** {@code converters}: one per column, null where the driver's value is already the one wanted. */
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
                // where each row's bytes start; the driver reads a row when asked whether there is one
                long[] starts = new long[BATCH_ROWS + 1];
                int count = 0;
                long limit = input.count() + BATCH_BYTES;
                RuntimeException failure = null;
                try {
                    while (count < BATCH_ROWS && input.count() < limit) {
                        starts[count] = input.count();
                        if (!reader.hasNext()) {
                            break;
                        }
                        reader.next();
                        Object[] values = new Object[converters.length];
                        for (int i = 0; i < values.length; i++) {
                            Object value = reader.readValue(i + 1);
                            UnaryOperator<Object> converter = converters[i];
                            values[i] = value == null || converter == null ? value : converter.apply(value);
                        }
                        rows[count++] = values;
                    }
                } catch (RuntimeException e) {
                    failure = e;
                }
                if (failure != null) {
                    Optional<CountingInput.Located> server = input.exception(1 << 16);
                    // rows read from the exception's text are not rows
                    while (server.isPresent() && count > 0 && starts[count] > server.get().offset()) {
                        count--;
                    }
                    queue.put(new Batch(rows, count, failure, server.map(CountingInput.Located::text)));
                    return;
                }
                queue.put(new Batch(rows, count, null, Optional.empty()));
                if (count < BATCH_ROWS && input.count() < limit) {
                    if (count > 0) {
                        queue.put(new Batch(rows, 0, null, Optional.empty()));
                    }
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
