package io.logexaminer.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.data_formats.RowBinaryWithNamesAndTypesFormatReader;
import com.clickhouse.client.api.data_formats.internal.BinaryStreamReader;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseColumn;
import com.clickhouse.data.ClickHouseFormat;
import io.logexaminer.error.LogexaminerException;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.UsageException;
import io.logexaminer.result.Column;
import io.logexaminer.result.RowSink;
import io.logexaminer.result.TextFormat;
import io.logexaminer.result.TextSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;

/**
 * Statements run one after the other against ClickHouse's HTTP interface, through clickhouse-jdbc's client, their
 * results streamed as they arrive: rows to a {@link RowSink} (RowBinaryWithNamesAndTypes, decoded by the driver), or
 * text ClickHouse formats itself to a {@link TextSink}.
 */
public final class ClickHouseSession implements AutoCloseable {
    private static final int READ_BUFFER = 1 << 16;
    private final Client client;
    private final ClickHouseLogin login;
    private final Map<String, Object> parameters;
    private final Set<String> userSettings;
    private volatile RowDecoder.CountingInput current;
    private volatile boolean aborted;

    private ClickHouseSession(Client client, ClickHouseLogin login, Map<String, Object> parameters, Set<String> userSettings) {
        this.client = client;
        this.login = login;
        this.parameters = parameters;
        this.userSettings = userSettings;
    }

    public static ClickHouseSession open(ClickHouseLogin login, SessionOptions options) {
        Client.Builder builder = new Client.Builder()
                .addEndpoint(login.endpoint().toString())
                .setUsername(login.user())
                .setPassword(login.password())
                // The port-forward or a loopback endpoint is not where bandwidth is short; decoding costs CPU.
                .compressServerResponse(false)
                .compressClientRequest(false)
                .disableNativeCompression(true)
                // A statement is sent once: retrying an INSERT could run it twice.
                .setMaxRetries(0)
                .setClientName("logexaminer")
                .useServerTimeZone(true);
        options.database().ifPresent(builder::setDefaultDatabase);
        options.settings().forEach(builder::serverSetting);
        if (options.readonly()) {
            builder.serverSetting("readonly", "1");
        }
        return new ClickHouseSession(builder.build(), login, new HashMap<>(options.parameters()), options.settings().keySet());
    }

    /**
     * Runs one statement; a result's rows go to {@code sink} as they arrive. A ClickHouse error becomes an
     * {@link OperationFailedException} whose message is the server's one line, {@code Code: N. message}.
     */
    public StatementOutcome execute(String sql, RowSink sink) {
        return run(sql, ClickHouseFormat.RowBinaryWithNamesAndTypes, Map.of(), (response, input) -> {
            if (response.getFormat() != ClickHouseFormat.RowBinaryWithNamesAndTypes) {
                throw new UsageException("the statement asks for FORMAT " + response.getFormat()
                        + " itself: leave FORMAT out and choose with --format (csv and tsv pass any FORMAT through)");
            }
            ClickHouseBinaryFormatReader reader = new RowBinaryWithNamesAndTypesFormatReader(input,
                    response.getSettings(), new BinaryStreamReader.DefaultByteBufferAllocator(), Map.of());
            TableSchema schema = reader.getSchema();
            if (schema == null) {
                return new StatementOutcome(false, 0, summary(response));
            }
            long rows = stream(reader, input, schema, sink);
            return new StatementOutcome(true, rows, summary(response));
        });
    }

    /**
     * Runs one statement whose result ClickHouse formats itself ({@link ServerFormat}); the bytes go to {@code sink}
     * as they arrive, untouched. A statement with its own FORMAT clause gets that format, and its rows go uncounted.
     */
    public StatementOutcome copy(String sql, TextFormat format, TextSink sink) {
        ServerFormat server = ServerFormat.of(format);
        Map<String, String> settings = new HashMap<>(server.settings());
        settings.keySet().removeAll(userSettings);
        return run(sql, server.format(), settings, (response, input) -> {
            boolean ours = response.getFormat() == server.format();
            TextCopy copy = new TextCopy(sink, format == TextFormat.CSV);
            boolean result;
            try {
                result = copy.copy(input);
            } catch (TextCopy.Broken e) {
                long rows = Math.max(0, e.lines - 1);
                String cause = e.exception.map(text -> ClickHouseErrors.serverMessage(text, 0))
                        .orElseGet(() -> ClickHouseErrors.describe(e.getCause(), login));
                throw new OperationFailedException(aborted ? "stopped after " + (ours ? rows + " rows" : "part of the result")
                        : "the result broke off after " + (ours ? rows + " rows" : "part of it") + ": " + cause, e);
            } catch (RuntimeException e) {
                // whoever takes the bytes gave up (stdout closed): drop the rest of the result rather than read it
                input.abort();
                throw new SinkFailure(e);
            }
            long rows = !result ? 0 : ours ? Math.max(0, copy.lines() - 1) : -1;
            return new StatementOutcome(result, rows, summary(response));
        });
    }

    /** What to do with a response's body, read through {@code input}. */
    private interface ResponseReader {
        StatementOutcome read(QueryResponse response, RowDecoder.CountingInput input) throws Exception;
    }

    /** Sends a statement and reads its response; what fails becomes one line, what the sink throws passes through. */
    private StatementOutcome run(String sql, ClickHouseFormat format, Map<String, String> settings, ResponseReader body) {
        QueryResponse response = send(sql, format, settings);
        try (response) {
            RowDecoder.CountingInput input = new RowDecoder.CountingInput(response.getInputStream(), READ_BUFFER);
            current = input;
            return body.read(response, input);
        } catch (SinkFailure e) {
            throw (RuntimeException) e.getCause();
        } catch (LogexaminerException e) {
            throw e;
        } catch (Exception e) {
            throw new OperationFailedException(ClickHouseErrors.describe(e, login), e);
        } finally {
            current = null;
        }
    }

    private static Optional<StatementOutcome.ServerSummary> summary(QueryResponse response) {
        return response.getReadRows() < 0 ? Optional.empty()
                : Optional.of(new StatementOutcome.ServerSummary(response.getReadRows(), response.getReadBytes(),
                Math.max(0, response.getWrittenRows())));
    }

    private QueryResponse send(String sql, ClickHouseFormat format, Map<String, String> settings) {
        QuerySettings query = new QuerySettings().setFormat(format);
        settings.forEach(query::serverSetting);
        try {
            return client.query(sql, parameters, query).get();
        } catch (ExecutionException e) {
            throw new OperationFailedException(ClickHouseErrors.describe(e.getCause(), login), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while waiting for ClickHouse", e);
        } catch (RuntimeException e) {
            throw new OperationFailedException(ClickHouseErrors.describe(e, login), e);
        }
    }

    private long stream(ClickHouseBinaryFormatReader reader, RowDecoder.CountingInput input, TableSchema schema,
                        RowSink sink) {
        List<ClickHouseColumn> columns = schema.getColumns();
        List<Column> described = new ArrayList<>(columns.size());
        @SuppressWarnings("unchecked")
        UnaryOperator<Object>[] converters = new UnaryOperator[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            described.add(ResultColumns.column(columns.get(i)));
            UnaryOperator<Object> converter = ResultColumns.converter(columns.get(i));
            // calling the identity for every value of every row would cost more than it looks
            converters[i] = converter == UnaryOperator.identity() ? null : converter;
        }
        long rows = 0;
        try (RowDecoder decoder = new RowDecoder(reader, input, converters)) {
            deliver(() -> sink.start(described));
            while (true) {
                RowDecoder.Batch batch = decoder.next();
                Object[][] batchRows = batch.rows();
                try {
                    for (int i = 0; i < batch.count(); i++) {
                        sink.row(batchRows[i]);
                        rows++;
                    }
                } catch (RuntimeException e) {
                    throw new SinkFailure(e);
                }
                if (batch.failure() != null) {
                    deliver(sink::flush);
                    if (aborted) {
                        throw new OperationFailedException("stopped after " + rows + " rows", batch.failure());
                    }
                    String cause = batch.serverError().map(text -> ClickHouseErrors.serverMessage(text, 0))
                            .orElseGet(() -> ClickHouseErrors.describe(batch.failure(), login));
                    throw new OperationFailedException("the result broke off after " + rows + " rows: " + cause,
                            batch.failure());
                }
                if (batch.last()) {
                    break;
                }
            }
            deliver(sink::end);
        } catch (SinkFailure e) {
            // whoever takes the rows gave up (stdout closed): drop the rest of the result rather than read it
            input.abort();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while reading the result", e);
        }
        return rows;
    }

    /** Runs a sink call; what it throws (stdout closed, say) passes through {@link #execute} unchanged. */
    private static void deliver(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            throw new SinkFailure(e);
        }
    }

    private static final class SinkFailure extends RuntimeException {
        SinkFailure(RuntimeException cause) {
            super(cause);
        }
    }

    /** Stops the statement running now, from another thread (Ctrl-C): the connection is dropped under it. */
    public void abort() {
        aborted = true;
        RowDecoder.CountingInput input = current;
        if (input != null) {
            input.abort();
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
