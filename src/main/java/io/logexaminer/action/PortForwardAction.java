package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.error.UsageException;
import io.logexaminer.k8s.ClusterClient;
import io.logexaminer.k8s.Forward;
import io.logexaminer.k8s.ForwardSettings;
import io.logexaminer.k8s.ForwardTarget;
import io.logexaminer.k8s.ForwardedService;
import io.logexaminer.k8s.HostPort;
import io.logexaminer.k8s.PodPort;
import io.logexaminer.k8s.PortForwarder;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.plan.PlatformNames;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code port-forward}: opens local ports to the platform's ClickHouse ({@code clickhouse}: http and native) and Hive
 * Metastore ({@code hms}), or to any {@code svc/NAME[:PORTS]} or {@code pod/NAME:PORTS}, where PORTS is {@code REMOTE}
 * or {@code LOCAL:REMOTE} (LOCAL 0 picks a free port; REMOTE is a number or a port name).
 */
public final class PortForwardAction {
    private static final Pattern TARGET = Pattern.compile(
            "(?<kind>clickhouse|hms|svc/|service/|pod/)(?<name>[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?(?::(?:(?<local>\\d{1,5}):)?(?<remote>[a-z0-9][-a-z0-9]*))?");

    /**
     * @param targets    as typed: {@code clickhouse}, {@code hms}, {@code svc/NAME[:PORTS]}, {@code pod/NAME:PORTS}
     * @param namespace  for {@code svc/} and {@code pod/} targets; default: the context's namespace
     * @param address    the local address to listen on
     * @param podTimeout how long a connection waits for a ready pod
     */
    public record Settings(List<String> targets, Optional<String> namespace, String address, Duration podTimeout) {
    }

    /**
     * One open forward, as the command prints it.
     *
     * @param target      the target without its ports ({@code clickhouse}, {@code svc/web}, {@code pod/web-0})
     * @param port        the port's name ({@code http}, {@code native}, {@code thrift}, a service or container port name) or number
     * @param destination {@code svc/NAME} or {@code pod/NAME}
     * @param pod         where a connection made now goes, when a pod is ready, and {@code podPort} its port there
     * @param endpoint    for the platform's services: what clients connect to ({@code http://127.0.0.1:8123})
     * @param envName     for the platform's services: the variable {@code --print-env} sets to {@code endpoint}
     */
    public record Opened(String target, String port, String address, int localPort, String namespace, String destination,
                         int remotePort, Optional<String> pod, OptionalInt podPort, Optional<String> endpoint,
                         Optional<String> envName) {

        /** {@code ADDRESS:PORT}, with brackets for IPv6. */
        public String local() {
            return HostPort.format(address, localPort);
        }
    }

    /** What a target asks for, before the cluster is asked anything. */
    record Wanted(String target, ForwardTarget.Kind kind, String namespace, String name, Optional<String> remote,
                  OptionalInt local, Optional<String> label, Optional<String> scheme, Optional<String> envName) {
    }

    private PortForwardAction() {
    }

    /**
     * Connects to the cluster and opens every forward, or none: the first problem (an unknown service, a port in
     * use, an unreachable cluster) closes what was opened and is thrown as one line. {@code platform} is read for
     * {@code clickhouse} and {@code hms} targets and for the platform's EKS cluster; empty means its defaults. An
     * address other than loopback is warned about on {@code notices} first.
     */
    public static Session open(ClusterAccess.Choice choice, Supplier<Optional<Platform>> platform, AwsAccess aws, Settings settings,
                               Consumer<String> notices) {
        InetAddress address = address(settings.address());
        if (!address.isLoopbackAddress()) {
            notices.accept("listening on " + settings.address() + ", not loopback: whoever reaches this machine reaches the cluster through these ports");
        }
        List<String> targets = settings.targets().isEmpty() ? List.of("clickhouse", "hms") : settings.targets();
        Supplier<Platform> named = () -> platform.get().orElseGet(PortForwardAction::defaults);
        ClusterAccess.Connection connection = ClusterAccess.connect(choice, named, aws);
        ClusterClient cluster = connection.cluster();
        PortForwarder forwarder = new PortForwarder(cluster, new ForwardSettings(settings.podTimeout(), ForwardSettings.DEFAULT.keepAlive()),
                notices);
        Session session = new Session(connection, forwarder);
        Map<String, ForwardedService> services = new HashMap<>();
        try {
            String namespace = settings.namespace().orElse(cluster.defaultNamespace());
            for (String target : targets) {
                for (Wanted wanted : parse(target, namespace, named)) {
                    if (wanted.kind() == ForwardTarget.Kind.POD) {
                        session.add(wanted, forwarder.open(ForwardTarget.pod(wanted.namespace(), wanted.name(), wanted.remote().orElseThrow()),
                                address, wanted.local()));
                        continue;
                    }
                    if (wanted.remote().isEmpty() && wanted.local().isPresent()) {
                        throw new UsageException("'" + wanted.target() + "' names a local port but no remote one: use LOCAL:REMOTE");
                    }
                    // the ports of one service, across targets, share one read of it and one watch of its EndpointSlices
                    ForwardedService service = services.computeIfAbsent(wanted.namespace() + "/" + wanted.name(),
                            key -> forwarder.service(wanted.namespace(), wanted.name()));
                    for (Wanted port : eachPort(wanted, service)) {
                        session.add(port, service.open(port.remote().orElseThrow(), address, port.local()));
                    }
                }
            }
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        } finally {
            services.values().forEach(ForwardedService::close);
        }
    }

    /** One target as typed, checked for form only; {@code clickhouse} and {@code hms} resolved from the platform. */
    static List<Wanted> parse(String target, String namespace, Supplier<Platform> platform) {
        Matcher m = TARGET.matcher(target);
        if (!m.matches() || (m.group("kind").endsWith("/") == (m.group("name") == null))) {
            throw new UsageException("unknown target '" + target + "': use clickhouse, hms, svc/NAME[:PORT] or pod/NAME:PORT"
                    + " (PORT is REMOTE or LOCAL:REMOTE)");
        }
        Optional<String> remote = Optional.ofNullable(m.group("remote"));
        OptionalInt local = m.group("local") == null ? OptionalInt.empty() : OptionalInt.of(port(m.group("local"), target));
        if (remote.isPresent() && remote.get().chars().allMatch(Character::isDigit)) {
            port(remote.get(), target);
        }
        String name = m.group("name");
        String display = m.group("kind").equals("service/") ? "svc/" + name : m.group("kind") + (name == null ? "" : name);
        return switch (m.group("kind")) {
            case "clickhouse" -> {
                Platform.ClickHouse ch = platform.get().kubernetes().clickhouse();
                List<Wanted> ports = List.of(
                        new Wanted(display, ForwardTarget.Kind.SERVICE, ch.namespace(), ch.serviceName(), Optional.of(String.valueOf(ch.httpPort())),
                                local, Optional.of("http"), Optional.of("http"), Optional.of("CLICKHOUSE_URL")),
                        new Wanted(display, ForwardTarget.Kind.SERVICE, ch.namespace(), ch.serviceName(), Optional.of(String.valueOf(ch.nativePort())),
                                local, Optional.of("native"), Optional.empty(), Optional.of("CLICKHOUSE_NATIVE_ADDRESS")));
                yield pick(target, ports, remote);
            }
            case "hms" -> {
                Platform.HiveMetastore hms = platform.get().kubernetes().hiveMetastore();
                yield pick(target, List.of(new Wanted(display, ForwardTarget.Kind.SERVICE, hms.namespace(), PlatformNames.HIVE_METASTORE_SERVICE,
                        Optional.of(String.valueOf(hms.port())), local, Optional.of("thrift"), Optional.of("thrift"), Optional.of("HMS_URI"))), remote);
            }
            case "pod/" -> {
                if (remote.isEmpty()) {
                    throw new UsageException("'" + target + "' needs a port: pod/NAME:PORT or pod/NAME:LOCAL:PORT");
                }
                yield List.of(new Wanted(display, ForwardTarget.Kind.POD, namespace, name, remote, local, Optional.empty(),
                        Optional.empty(), Optional.empty()));
            }
            default -> List.of(new Wanted(display, ForwardTarget.Kind.SERVICE, namespace, name, remote, local, Optional.empty(),
                    Optional.empty(), Optional.empty()));
        };
    }

    /** The platform target's ports, or the one asked for by number or label. */
    private static List<Wanted> pick(String target, List<Wanted> ports, Optional<String> remote) {
        if (remote.isEmpty()) {
            return ports;
        }
        return ports.stream().filter(w -> w.remote().equals(remote) || w.label().equals(remote)).findFirst().map(List::of)
                .orElseThrow(() -> new UsageException("'" + target + "': " + remote.get() + " is none of its ports ("
                        + String.join(", ", ports.stream().map(w -> w.remote().orElseThrow() + " " + w.label().orElseThrow()).toList())
                        + ")"));
    }

    /** {@code svc/NAME} without a port stands for every port of the service. */
    private static List<Wanted> eachPort(Wanted wanted, ForwardedService service) {
        if (wanted.remote().isPresent()) {
            return List.of(wanted);
        }
        return service.ports().stream().map(port -> new Wanted(wanted.target(), wanted.kind(), wanted.namespace(), wanted.name(),
                Optional.of(port), wanted.local(), wanted.label(), wanted.scheme(), wanted.envName())).toList();
    }

    private static int port(String text, String target) {
        int port = Integer.parseInt(text);
        if (port > 65535) {
            throw new UsageException("'" + target + "': " + text + " is not a port (0 to 65535)");
        }
        return port;
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new UsageException("--address " + text + " is not an address of this machine");
        }
    }

    /** The platform's defaults (namespaces, service names, ports), for a cluster used without platform.yaml. */
    static Platform defaults() {
        return PlatformLoader.parse("defaults", "name: defaults\nregion: us-east-1\n", Optional.empty()).platform();
    }

    /** Open forwards on one cluster; closing it closes them all and the cluster client. */
    public static final class Session implements AutoCloseable {
        private final ClusterAccess.Connection connection;
        private final PortForwarder forwarder;
        private final List<Opened> opened = new ArrayList<>();
        private final CountDownLatch closed = new CountDownLatch(1);
        private final AtomicBoolean closing = new AtomicBoolean();

        Session(ClusterAccess.Connection connection, PortForwarder forwarder) {
            this.connection = connection;
            this.forwarder = forwarder;
        }

        void add(Wanted wanted, Forward forward) {
            String host = forward.localAddress().getAddress().getHostAddress();
            String hostPort = HostPort.format(forward.localAddress());
            Optional<PodPort> next = forward.nextPod();
            String port = wanted.label().orElse(forward.portName().isEmpty() ? String.valueOf(forward.remotePort()) : forward.portName());
            opened.add(new Opened(wanted.target(), port, host, forward.localAddress().getPort(), wanted.namespace(),
                    (wanted.kind() == ForwardTarget.Kind.SERVICE ? "svc/" : "pod/") + wanted.name(), forward.remotePort(),
                    next.map(PodPort::pod), next.map(p -> OptionalInt.of(p.port())).orElse(OptionalInt.empty()),
                    wanted.envName().map(e -> wanted.scheme().map(s -> s + "://" + hostPort).orElse(hostPort)), wanted.envName()));
        }

        public List<Opened> forwards() {
            return List.copyOf(opened);
        }

        /** The cluster the forwards go to, for more calls to it while they are open. */
        ClusterClient cluster() {
            return connection.cluster();
        }

        /** The AWS clients of the platform's EKS cluster, when the forwards go there: closed with the session. */
        Optional<AwsClients> aws() {
            return connection.aws();
        }

        /** Blocks until Ctrl-C (the cancellation) or {@link #close()}. */
        public void awaitCancellation(Cancellation cancellation) throws InterruptedException {
            try (AutoCloseable onCancel = cancellation.onCancel(this::close)) {
                closed.await();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            try {
                forwarder.close();
                connection.cluster().close();
            } finally {
                closed.countDown();
            }
        }
    }
}
