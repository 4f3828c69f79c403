package io.logexaminer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.action.PortForwardAction;
import io.logexaminer.error.CancelledException;
import io.logexaminer.error.UsageException;
import io.logexaminer.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Command(name = "port-forward", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Forward local ports to the platform's ClickHouse and Hive Metastore, or to any service or pod.",
                "Each new connection goes to a ready pod behind the service at that moment, so pod restarts and moves need "
                        + "nothing from you; while no pod is ready a connection waits (--pod-timeout), then closes with a message.",
                "Prints a ready line per forward on stderr (one JSON line each on stdout with -o json); Ctrl-C closes everything."})
public final class PortForwardCommand extends PlatformCommand {

    @Parameters(paramLabel = "TARGET", arity = "0..*",
            description = {"clickhouse (8123 http, 9000 native), hms (9083), svc/NAME[:PORT] or pod/NAME:PORT (default: clickhouse hms).",
                    "PORT is REMOTE or LOCAL:REMOTE; REMOTE a number or a port name; LOCAL 0 picks a free port."})
    List<String> targets = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", order = 10,
            description = "namespace of svc/ and pod/ targets (default: the context's, else default)")
    String namespace;

    @Option(names = "--address", paramLabel = "ADDRESS", order = 11,
            description = "local address to listen on (default: 127.0.0.1); any other is reachable from other machines")
    String address = "127.0.0.1";

    @Option(names = "--pod-timeout", paramLabel = "DURATION", order = 12, converter = DurationConverter.class,
            description = "how long a new connection waits for a ready pod before it is closed (default: 30s)")
    Duration podTimeout = Duration.ofSeconds(30);

    @Option(names = "--print-env", order = 13,
            description = "print shell exports on stdout once ready: CLICKHOUSE_URL, CLICKHOUSE_NATIVE_ADDRESS, HMS_URI")
    boolean printEnv;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws InterruptedException {
        if (printEnv && out().json()) {
            throw new UsageException("--print-env prints shell exports, which -o json does not allow; the JSON lines carry \"endpoint\" and \"env\"");
        }
        PortForwardAction.Settings settings = new PortForwardAction.Settings(targets, Optional.ofNullable(namespace), address, podTimeout);
        try (PortForwardAction.Session session = PortForwardAction.open(cluster.choice(), () -> platformIfPresent(cluster.choice()), awsAccess(), settings,
                out()::warn)) {
            for (PortForwardAction.Opened forward : session.forwards()) {
                if (out().json()) {
                    out().printJsonLine(json(forward));
                } else {
                    out().info(readyLine(forward));
                }
            }
            if (printEnv) {
                session.forwards().forEach(f -> f.envName().ifPresent(name -> out().data().println("export " + name + "=" + f.endpoint().orElseThrow())));
                out().data().flush();
            }
            session.awaitCancellation(io().cancellation());
        }
        throw new CancelledException("closed the port-forwards");
    }

    static String readyLine(PortForwardAction.Opened f) {
        String destination = f.pod().map(p -> f.namespace() + "/" + p + ":" + f.podPort().orElseThrow())
                .orElse(f.namespace() + "/" + f.destination() + ":" + f.remotePort() + " (no ready pod yet)");
        return f.target() + " " + f.port() + " " + f.local() + " -> " + destination;
    }

    private static ObjectNode json(PortForwardAction.Opened f) {
        ObjectNode line = Output.object();
        line.put("target", f.target());
        line.put("port", f.port());
        line.put("address", f.address());
        line.put("localPort", f.localPort());
        line.put("namespace", f.namespace());
        line.put("destination", f.destination());
        line.put("remotePort", f.remotePort());
        f.pod().ifPresentOrElse(p -> line.put("pod", p).put("podPort", f.podPort().orElseThrow()), () -> line.putNull("pod").putNull("podPort"));
        f.endpoint().ifPresent(e -> line.put("endpoint", e));
        f.envName().ifPresent(e -> line.put("env", e));
        return line;
    }
}
