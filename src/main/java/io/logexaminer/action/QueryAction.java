package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.ManagedSecrets;
import io.logexaminer.clickhouse.ClickHouseLogin;
import io.logexaminer.clickhouse.ClickHouseSession;
import io.logexaminer.clickhouse.SessionOptions;
import io.logexaminer.clickhouse.SqlScript;
import io.logexaminer.clickhouse.StatementOutcome;
import io.logexaminer.config.Platform;
import io.logexaminer.error.CancelledException;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.UsageException;
import io.logexaminer.k8s.ClusterSecrets;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.result.ResultTarget;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@code query}: runs a script of SQL statements on ClickHouse, in order, streaming each result to a sink. */
public final class QueryAction {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** How long a connection through the forward waits for a ready ClickHouse pod, as port-forward's default. */
    private static final Duration FORWARD_POD_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What to run and how.
     *
     * @param settings   ClickHouse settings for every statement ({@code --setting})
     * @param parameters values of {@code {name:Type}} query parameters ({@code --param})
     */
    public record Request(String script, Optional<String> database, Map<String, String> settings,
                         Map<String, String> parameters, boolean readonly) {
        public Request {
            settings = Map.copyOf(settings);
            parameters = Map.copyOf(parameters);
        }
    }

    /** ClickHouse's HTTP interface ({@code http(s)://HOST:PORT}) and who logs in; the password is never printed. */
    public record Endpoint(URI uri, String user, String password) {
        @Override
        public String toString() {
            return user + "@" + uri;
        }
    }

    /**
     * One statement done.
     *
     * @param resultSet  whether it returned a result (rather than nothing, as DDL and INSERT do)
     * @param rows       the result's rows; -1 when the statement chose its own FORMAT, whose rows are not counted
     * @param readRows   rows the server read, when it reported them; likewise {@code readBytes}, {@code writtenRows}
     */
    public record StatementReport(int number, int count, int line, boolean resultSet, long rows, OptionalLong readRows,
                                  OptionalLong readBytes, OptionalLong writtenRows, Duration elapsed) {
    }

    /** Hears of each statement as it finishes. */
    public interface Listener {
        void finished(StatementReport report);
    }

    /**
     * A port-forward to the platform's ClickHouse that a run opens for itself, and who logs in through it; closing
     * it closes the forward.
     */
    public static final class Forwarded implements AutoCloseable {
        private final PortForwardAction.Session session;
        private final Endpoint endpoint;

        private Forwarded(PortForwardAction.Session session, Endpoint endpoint) {
            this.session = session;
            this.endpoint = endpoint;
        }

        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public void close() {
            session.close();
        }
    }

    private final Endpoint endpoint;
    private final Cancellation cancellation;

    public QueryAction(Endpoint endpoint, Cancellation cancellation) {
        this.endpoint = endpoint;
        this.cancellation = cancellation;
    }

    /**
     * Opens a port-forward to the HTTP port of the platform's ClickHouse service on a free loopback port and takes
     * the password from where platform.yaml keeps it (a Kubernetes secret in ClickHouse's namespace or a Secrets
     * Manager secret), for the user it names. With {@code user} given (another user), {@code password} logs in
     * instead. {@code platform} empty means the platform's defaults (a cluster chosen by kubeconfig).
     */
    public static Forwarded forward(ClusterAccess.Choice choice, Supplier<Optional<Platform>> platform, AwsAccess aws,
                                    Optional<String> user, Supplier<String> password, Consumer<String> notices) {
        Platform p = platform.get().orElseGet(PortForwardAction::defaults);
        PortForwardAction.Settings settings = new PortForwardAction.Settings(List.of("clickhouse:0:http"), Optional.empty(),
                "127.0.0.1", FORWARD_POD_TIMEOUT);
        PortForwardAction.Session session = PortForwardAction.open(choice, () -> Optional.of(p), aws, settings, notices);
        try {
            URI uri = URI.create(session.forwards().getFirst().endpoint().orElseThrow());
            Endpoint endpoint = user.isPresent() ? new Endpoint(uri, user.get(), password.get())
                    : new Endpoint(uri, p.kubernetes().clickhouse().credentials().user(), platformPassword(p, session, aws));
            return new Forwarded(session, endpoint);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static String platformPassword(Platform platform, PortForwardAction.Session session, AwsAccess aws) {
        Platform.ClickHouse clickhouse = platform.kubernetes().clickhouse();
        Platform.ClickHouseCredentials credentials = clickhouse.credentials();
        return switch (credentials.source()) {
            case KUBERNETES -> ClusterSecrets.value(session.cluster(), clickhouse.namespace(), credentials.secretName(),
                    credentials.key());
            case SECRETS_MANAGER -> {
                // Through the platform's EKS cluster its connection's clients serve; through a kubeconfig context, clients of its own.
                if (session.aws().isPresent()) {
                    yield new ManagedSecrets(session.aws().get()).field(credentials.secretName(), credentials.key());
                }
                try (AwsClients own = aws.clients(platform.region())) {
                    yield new ManagedSecrets(own).field(credentials.secretName(), credentials.key());
                }
            }
        };
    }

    /** The endpoint {@code --endpoint} names: http or https, a host and a port, nothing else. */
    public static URI endpoint(String text) {
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--endpoint " + text + " is not a URL: give http(s)://HOST:PORT");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getPort() < 0
                || uri.getRawQuery() != null || uri.getRawUserInfo() != null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new UsageException("--endpoint " + text + ": give http(s)://HOST:PORT");
        }
        return uri;
    }

    /**
     * Runs the statements of the request's script one after the other, each result to {@code target}. The first
     * that fails stops the run; with several statements its message says which one it was.
     */
    public void run(Request request, ResultTarget target, Listener listener) {
        List<SqlScript.Statement> statements = SqlScript.split(request.script());
        if (statements.isEmpty()) {
            throw new UsageException("no SQL statement to run");
        }
        checkNames("--param", request.parameters());
        checkNames("--setting", request.settings());
        SessionOptions options = new SessionOptions(request.database(), request.settings(), request.parameters(),
                request.readonly());
        ClickHouseLogin login = new ClickHouseLogin(endpoint.uri(), endpoint.user(), endpoint.password());
        try (ClickHouseSession session = ClickHouseSession.open(login, options);
             AutoCloseable stop = cancellation.onCancel(session::abort)) {
            for (SqlScript.Statement statement : statements) {
                long start = System.nanoTime();
                StatementOutcome outcome;
                try {
                    outcome = switch (target) {
                        case ResultTarget.Rows rows -> session.execute(statement.text(), rows.sink());
                        case ResultTarget.Text text -> session.copy(statement.text(), text.format(), text.sink());
                    };
                } catch (OperationFailedException e) {
                    if (cancellation.isCancelled()) {
                        throw new CancelledException("the query was stopped");
                    }
                    throw statements.size() == 1 ? e : new OperationFailedException("statement " + statement.number()
                            + " of " + statements.size() + " (line " + statement.line() + "): " + e.getMessage(), e);
                }
                listener.finished(report(statement, statements.size(), outcome, Duration.ofNanos(System.nanoTime() - start)));
                if (cancellation.isCancelled()) {
                    throw new CancelledException("the query was stopped");
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new OperationFailedException("closing the ClickHouse session failed: " + e.getMessage(), e);
        }
    }

    private static StatementReport report(SqlScript.Statement statement, int count, StatementOutcome outcome,
                                          Duration elapsed) {
        Optional<StatementOutcome.ServerSummary> server = outcome.server();
        return new StatementReport(statement.number(), count, statement.line(), outcome.resultSet(), outcome.rows(),
                server.map(s -> OptionalLong.of(s.readRows())).orElse(OptionalLong.empty()),
                server.map(s -> OptionalLong.of(s.readBytes())).orElse(OptionalLong.empty()),
                server.map(s -> OptionalLong.of(s.writtenRows())).orElse(OptionalLong.empty()), elapsed);
    }

    private static void checkNames(String option, Map<String, String> values) {
        for (String name : values.keySet()) {
            if (!NAME.matcher(name).matches()) {
                throw new UsageException(option + " " + name + "=...: a name is letters, digits and _, not starting with a digit");
            }
        }
    }
}
