package io.logexaminer.cli;

import io.logexaminer.action.QueryAction;
import io.logexaminer.error.UsageException;
import io.logexaminer.output.ResultFormat;
import io.logexaminer.output.ResultRenderers;
import io.logexaminer.output.Sizes;
import io.logexaminer.output.StdoutClosedException;
import io.logexaminer.output.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

@Command(name = "query", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run SQL on the platform's ClickHouse and print the results as they stream in.",
                "The SQL comes from the argument, from --file, or from stdin when neither is given; statements separated "
                        + "by ';' run in order and the first that fails stops the run.",
                "Without --endpoint it opens its own port-forward to the platform's ClickHouse and logs in with the password "
                        + "platform.yaml says where to find; with --endpoint or another --user the password comes from "
                        + "CLICKHOUSE_PASSWORD, or is asked for on a terminal."})
public final class QueryCommand extends PlatformCommand {
    static final String PASSWORD_VARIABLE = "CLICKHOUSE_PASSWORD";

    @Parameters(arity = "0..1", paramLabel = "SQL", description = "the statements to run")
    String sql;

    @Option(names = "--file", paramLabel = "PATH", description = "read the statements from this file")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table, csv, tsv, json, jsonl or vertical (default: table on a terminal, tsv otherwise; json with -o json)")
    ResultFormat format;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "a value for the query parameter {NAME:Type} (repeatable)")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--database", paramLabel = "NAME", description = "the default database")
    String database;

    @Option(names = "--setting", paramLabel = "KEY=VALUE", description = "a ClickHouse setting for every statement (repeatable)")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--readonly", description = "refuse anything that changes data or settings (readonly=1)")
    boolean readonly;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "ClickHouse's HTTP interface, http(s)://HOST:PORT, instead of a port-forward to the platform's")
    String endpoint;

    @Option(names = "--user", paramLabel = "USER",
            description = "the ClickHouse user (default: the one platform.yaml names, whose password it keeps; default with --endpoint)")
    String user;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        ResultFormat chosen = resultFormat();
        String script = script();
        QueryAction.Request request = new QueryAction.Request(script, Optional.ofNullable(database), settings, parameters,
                readonly);
        if (endpoint != null) {
            if (!cluster.choice().usesPlatformCluster()) {
                throw new UsageException("--endpoint goes straight to ClickHouse: it takes no --kubeconfig or --context");
            }
            return run(new QueryAction.Endpoint(QueryAction.endpoint(endpoint), user == null ? "default" : user,
                    password(endpoint)), request, chosen);
        }
        try (QueryAction.Forwarded forwarded = QueryAction.forward(cluster.choice(), () -> platformIfPresent(cluster.choice()),
                awsAccess(), Optional.ofNullable(user), () -> password("the platform's ClickHouse"), out()::warn)) {
            out().detail("ClickHouse at " + forwarded.endpoint().uri() + " through a port-forward, as " + forwarded.endpoint().user());
            return run(forwarded.endpoint(), request, chosen);
        }
    }

    private int run(QueryAction.Endpoint target, QueryAction.Request request, ResultFormat format) {
        try {
            new QueryAction(target, io().cancellation()).run(request, ResultRenderers.create(format, out()),
                    report -> out().info(summary(report)));
        } catch (StdoutClosedException e) {
            return ExitCodes.OK;
        }
        return ExitCodes.OK;
    }

    private ResultFormat resultFormat() {
        if (globals().json()) {
            if (format != null && format != ResultFormat.json && format != ResultFormat.jsonl) {
                throw new UsageException("-o json prints only JSON: --format must be json or jsonl");
            }
            return format == null ? ResultFormat.json : format;
        }
        return format != null ? format : io().interactive() ? ResultFormat.table : ResultFormat.tsv;
    }

    private String script() {
        if (sql != null && file != null) {
            throw new UsageException("give the SQL as an argument or with --file, not both");
        }
        if (sql != null) {
            return sql;
        }
        try {
            if (file != null) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            if (io().interactive()) {
                throw new UsageException("no SQL: give it as an argument, with --file, or on stdin");
            }
            if ("-".equals(globals().config()) && endpoint == null) {
                throw new UsageException("stdin cannot carry both platform.yaml (-f -) and the SQL");
            }
            return new String(io().in().readAllBytes(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("--file " + file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String password(String where) {
        String fromEnvironment = io().environment().get(PASSWORD_VARIABLE);
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        if (io().interactive()) {
            return Terminal.readSecret("Password for " + (user == null ? "default" : user) + " at " + where + ": ").orElse("");
        }
        return "";
    }

    private static String summary(QueryAction.StatementReport r) {
        StringBuilder line = new StringBuilder();
        if (r.count() > 1) {
            line.append("statement ").append(r.number()).append(": ");
        }
        line.append(!r.resultSet() ? "ok" : r.rows() < 0 ? "result" : rows(r.rows()))
                .append(String.format(Locale.ROOT, " in %.3fs", r.elapsed().toNanos() / 1e9));
        if (r.readRows().isPresent() && r.readRows().getAsLong() > 0) {
            line.append("; server read ").append(rows(r.readRows().getAsLong())).append(", ")
                    .append(Sizes.format(r.readBytes().orElse(0)));
        }
        if (r.writtenRows().isPresent() && r.writtenRows().getAsLong() > 0) {
            line.append("; server wrote ").append(rows(r.writtenRows().getAsLong()));
        }
        return line.toString();
    }

    private static String rows(long n) {
        return n + (n == 1 ? " row" : " rows");
    }
}
