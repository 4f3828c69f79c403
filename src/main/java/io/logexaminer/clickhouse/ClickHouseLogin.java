package io.logexaminer.clickhouse;

import java.net.URI;

/** Where ClickHouse's HTTP interface answers and who logs in; {@link #toString()} leaves the password out. */
public record ClickHouseLogin(URI endpoint, String user, String password) {

    @Override
    public String toString() {
        return user + "@" + endpoint;
    }
}
