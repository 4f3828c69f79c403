package io.logexaminer.k8s;

import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import io.logexaminer.plan.BlockingThreads;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One listening local port. Every accepted connection gets its own tunnel to a pod chosen at that moment (the
 * ready pods of a service in turn), so a restarted or moved pod needs nothing from the user. A connection that finds
 * no pod waits up to the pod timeout and is then closed with a message; the forward keeps listening, and no
 * connection's failure touches another.
 */
public final class Forward implements AutoCloseable {
    private final ClusterClient cluster;
    private final ForwardTarget target;
    private final int remotePort;
    private final String portName;
    private final ServerSocketChannel listener;
    private final Destinations destinations;
    private final ForwardSettings settings;
    private final Consumer<String> notices;
    private final InetSocketAddress localAddress;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Set<Tunnel> tunnels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger turn = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    Forward(ClusterClient cluster, ForwardTarget target, int remotePort, String portName, InetAddress address,
            ServerSocketChannel listener, Destinations destinations, ForwardSettings settings, Consumer<String> notices)
            throws IOException {
        this.cluster = cluster;
        this.target = target;
        this.remotePort = remotePort;
        this.portName = portName;
        this.listener = listener;
        this.destinations = destinations;
        this.settings = settings;
        this.notices = notices;
        this.localAddress = new InetSocketAddress(address, ((InetSocketAddress) listener.getLocalAddress()).getPort());
        this.acceptor = BlockingThreads.start("forward-accept-" + localAddress.getPort(), this::acceptLoop);
    }

    /** The address it listens on, with the port the system chose when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public ForwardTarget target() {
        return target;
    }

    /** The port asked for, as a number: the service's port, or the pod's. */
    public int remotePort() {
        return remotePort;
    }

    /** The name of that port in the service or the pod spec, or "" when it has none. */
    public String portName() {
        return portName;
    }

    /** The pod port a connection made now would go to first, if any pod is ready. */
    public Optional<PodPort> nextPod() {
        List<PodPort> ready = destinations.current().ready();
        return ready.isEmpty() ? Optional.empty() : Optional.of(ready.get(Math.floorMod(turn.get(), ready.size())));
    }

    /** Connections open right now. */
    public int openConnections() {
        return connections.size();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel local;
            try {
                local = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                notices.accept(target.describe() + ": cannot accept a connection (" + ClusterClient.firstLine(e) + ")");
                sleep(Duration.ofMillis(100));
                continue;
            }
            connections.add(local);
            BlockingThreads.start("forward-connection", () -> {
                try {
                    serve(local);
                } finally {
                    connections.remove(local);
                    close(local);
                }
            });
        }
    }

    private void serve(SocketChannel local) {
        String from = describe(local);
        try {
            local.setOption(StandardSocketOptions.TCP_NODELAY, true);
            local.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            long deadline = System.nanoTime() + settings.podTimeout().toNanos();
            Set<String> refused = new HashSet<>();
            String lastProblem = null;
            while (!closed) {
                Destinations.Snapshot now = destinations.current();
                List<PodPort> candidates = now.ready().stream().filter(p -> !refused.contains(p.pod())).toList();
                if (candidates.isEmpty()) {
                    if (!destinations.awaitChange(now.generation(), deadline)) {
                        if (!closed) {
                            notices.accept(target.describe() + ": " + (lastProblem != null ? "no pod took the connection from "
                                    + from + " within " + seconds(settings.podTimeout()) + " (last: " + lastProblem + ")"
                                    : "no ready pod behind " + destinations.describe() + " for " + seconds(settings.podTimeout())
                                    + "; closed the connection from " + from) + "; still listening");
                        }
                        return;
                    }
                    refused.clear();
                    continue;
                }
                PodPort pod = candidates.get(Math.floorMod(turn.getAndIncrement(), candidates.size()));
                Tunnel tunnel = new Tunnel(local, target.namespace() + "/" + pod, notices);
                try {
                    open(tunnel, pod);
                } catch (Refused e) {
                    if (e.lasting) {
                        notices.accept(target.describe() + ": " + e.getMessage() + "; closed the connection from " + from);
                        return;
                    }
                    refused.add(pod.pod());
                    lastProblem = e.getMessage();
                    continue;
                }
                tunnels.add(tunnel);
                try {
                    tunnel.run();
                } finally {
                    tunnels.remove(tunnel);
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away before a tunnel was open
        }
    }

    /** Opens the pod's {@code portforward} WebSocket; a refusal says whether trying another pod or later can help. */
    private void open(Tunnel tunnel, PodPort pod) throws Refused, InterruptedException {
        String base = cluster.server();
        URI uri = URI.create(base + (base.endsWith("/") ? "" : "/") + "api/v1/namespaces/" + encode(target.namespace())
                + "/pods/" + encode(pod.pod()) + "/portforward?ports=" + pod.port());
        try {
            cluster.client().getHttpClient().newWebSocketBuilder()
                    .uri(uri)
                    .subprotocol(Tunnel.PROTOCOL)
                    .connectTimeout(ClusterClient.CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .buildAsync(tunnel)
                    .get(2L * ClusterClient.CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw refusal(pod, e.getCause());
        } catch (TimeoutException e) {
            throw new Refused("pod " + pod.pod() + " did not answer within " + 2 * ClusterClient.CONNECT_TIMEOUT_MS / 1000 + "s", false);
        }
    }

    private Refused refusal(PodPort pod, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null) {
            int code = handshake.getResponse().code();
            return switch (code) {
                case 401 -> new Refused(cluster.description() + " refused the credentials (401 Unauthorized)", true);
                case 403 -> new Refused("not allowed to port-forward to pod " + pod.pod() + " (403 Forbidden: pods/portforward)", true);
                case 404 -> new Refused("pod " + pod.pod() + " is gone", false);
                case 400 -> new Refused("pod " + pod.pod() + " is not running", false);
                default -> new Refused("the port-forward to pod " + pod.pod() + " answered " + code, false);
            };
        }
        return new Refused("cannot reach " + cluster.description() + " (" + ClusterClient.firstLine(cause) + ")", false);
    }

    /** A tunnel that did not open; {@code lasting} when retrying cannot help (credentials, permissions). */
    private static final class Refused extends Exception {
        final boolean lasting;

        Refused(String message, boolean lasting) {
            super(message, null, false, false);
            this.lasting = lasting;
        }
    }

    void keepAlive(Duration interval) {
        tunnels.forEach(t -> t.keepAlive(interval));
    }

    /** Stops listening (refused from the moment this returns) and closes every connection; the pods' ends close too. */
    @Override
    public void close() {
        closed = true;
        close(listener);
        try {
            acceptor.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        destinations.close();
        tunnels.forEach(Tunnel::close);
        connections.forEach(Forward::close);
    }

    private static void close(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static String describe(SocketChannel local) {
        try {
            return HostPort.format((InetSocketAddress) local.getRemoteAddress());
        } catch (IOException | RuntimeException e) {
            return "a client";
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
