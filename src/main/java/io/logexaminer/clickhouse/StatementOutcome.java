package io.logexaminer.clickhouse;

import java.util.Optional;

/**
 * What one statement did.
 *
 * @param resultSet whether it returned a result (a SELECT, SHOW...) rather than nothing (DDL, INSERT)
 * @param rows      the rows of that result the client received
 * @param server    what the server reported in its summary, when it did
 */
public record StatementOutcome(boolean resultSet, long rows, Optional<ServerSummary> server) {

    /** The X-ClickHouse-Summary of the response: rows and bytes the server read, rows it wrote. */
    public record ServerSummary(long readRows, long readBytes, long writtenRows) {
    }
}
