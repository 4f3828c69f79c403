package io.logexaminer.clickhouse;

import java.util.Map;
import java.util.Optional;

/**
 * What applies to every statement of a run: the default database, settings (sent with each request, as
 * clickhouse-client's {@code --setting} does), values for {@code {name:Type}} query parameters, and read-only mode.
 */
public record SessionOptions(Optional<String> database, Map<String, String> settings, Map<String, String> parameters,
                             boolean readonly) {

    public SessionOptions {
        settings = Map.copyOf(settings);
        parameters = Map.copyOf(parameters);
    }
}
