package io.logexaminer.k8s;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.logexaminer.error.OperationFailedException;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Opens port-forwards into a cluster, in-process: {@code port-forward} uses it, and so does any command that needs a
 * service of the cluster on a local port (a query to ClickHouse, a Spark driver's UI).
 * <pre>
 * try (PortForwarder forwarder = new PortForwarder(cluster, ForwardSettings.DEFAULT, log::warn)) {
 *     Forward http = forwarder.open(ForwardTarget.service("clickhouse", "clickhouse", "8123"),
 *             new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
 *     ... http.localAddress() ...
 * }
 * </pre>
 * Closing it closes every forward it opened; the cluster client stays open.
 */
public final class PortForwarder implements AutoCloseable {
    private final ClusterClient cluster;
    private final ForwardSettings settings;
    private final Consumer<String> notices;
    private final List<Forward> forwards = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService keepAlive;

    /** {@code notices} receives one line for each connection that fails (no ready pod, an error from the kubelet). */
    public PortForwarder(ClusterClient cluster, ForwardSettings settings, Consumer<String> notices) {
        this.cluster = cluster;
        this.settings = settings;
        this.notices = notices;
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("forward-keepalive").factory());
        long period = Math.max(1, settings.keepAlive().toMillis() / 2);
        keepAlive.scheduleAtFixedRate(() -> forwards.forEach(f -> f.keepAlive(settings.keepAlive())), period, period,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Checks the target (the service and its selector and port, or the pod and its port), listens on {@code bind}
     * (port 0: a free one) and returns the forward, ready for connections. Fails with one line when the target is
     * wrong, the port is taken or the cluster cannot be reached.
     */
    public Forward open(ForwardTarget target, InetSocketAddress bind) {
        return open(target, bind.getAddress(), OptionalInt.of(bind.getPort()));
    }

    /** As {@link #open(ForwardTarget, InetSocketAddress)}; without a local port, the target's port number is used. */
    public Forward open(ForwardTarget target, InetAddress address, OptionalInt localPort) {
        if (target.kind() == ForwardTarget.Kind.SERVICE) {
            try (ForwardedService service = service(target.namespace(), target.name())) {
                return service.open(target.port(), address, localPort);
            }
        }
        return listen(target, resolvePod(target), address, localPort);
    }

    /**
     * Reads the service and checks its selector, and starts watching its EndpointSlices, for forwards to several of
     * its ports on that one read and one watch. Fails with one line when the service is missing or has no selector.
     */
    public ForwardedService service(String namespace, String name) {
        EndpointSliceWatch slices = new EndpointSliceWatch(cluster, namespace, name);
        try {
            Service service = readService(namespace, name);
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                throw new OperationFailedException("service " + namespace + "/" + name
                        + " has no selector, so no pods to forward to; forward to a pod instead (pod/NAME:PORT)");
            }
            return new ForwardedService(this, namespace, name, servicePorts(service), slices);
        } catch (RuntimeException e) {
            slices.release();
            throw e;
        }
    }

    /**
     * Listens on {@code address} (the target's port number when no local port is given) and starts the forward,
     * or closes the destinations and fails with one line.
     */
    Forward listen(ForwardTarget target, Resolved resolved, InetAddress address, OptionalInt localPort) {
        InetSocketAddress bind = new InetSocketAddress(address, localPort.orElse(resolved.port()));
        try {
            ServerSocketChannel listener = ServerSocketChannel.open();
            try {
                listener.bind(bind, 128);
            } catch (BindException e) {
                listener.close();
                throw new OperationFailedException("cannot listen on " + HostPort.format(bind) + " (" + ClusterClient.firstLine(e)
                        + "); choose another local port: LOCAL:REMOTE, or 0:REMOTE for a free one");
            }
            Forward forward = new Forward(cluster, target, resolved.port(), resolved.portName(), address, listener, resolved.destinations(),
                    settings, notices);
            forwards.add(forward);
            return forward;
        } catch (IOException e) {
            resolved.destinations().close();
            throw new OperationFailedException("cannot listen on " + HostPort.format(bind) + ": " + ClusterClient.firstLine(e), e);
        } catch (RuntimeException e) {
            resolved.destinations().close();
            throw e;
        }
    }

    /** Where connections go, the port asked for as a number (service port or pod port) and its name ("" if none). */
    record Resolved(Destinations destinations, int port, String portName) {
    }

    private Service readService(String namespace, String name) {
        Service service;
        try {
            service = cluster.client().services().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw cluster.failure("read service " + namespace + "/" + name, e);
        }
        if (service == null) {
            throw new OperationFailedException("service " + namespace + "/" + name + " not found on " + cluster.description());
        }
        return service;
    }

    private static List<ServicePort> servicePorts(Service service) {
        return service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    }

    private Resolved resolvePod(ForwardTarget target) {
        String name = target.namespace() + "/" + target.name();
        Pod pod;
        try {
            pod = cluster.client().pods().inNamespace(target.namespace()).withName(target.name()).get();
        } catch (KubernetesClientException e) {
            throw cluster.failure("read pod " + name, e);
        }
        if (pod == null) {
            throw new OperationFailedException("pod " + name + " not found on " + cluster.description());
        }
        List<ContainerPort> ports = pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                .toList();
        if (target.port().chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(target.port());
            String portName = ports.stream().filter(p -> p.getContainerPort() == number && p.getName() != null)
                    .map(ContainerPort::getName).findFirst().orElse("");
            return new Resolved(new PodDestination(target.namespace(), new PodPort(target.name(), number)), number, portName);
        }
        int number = ports.stream().filter(p -> target.port().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new OperationFailedException("pod " + name + " has no port named " + target.port()
                        + (ports.isEmpty() ? " (it names no ports)" : " (it has " + ports.stream()
                        .map(p -> p.getContainerPort() + (p.getName() == null ? "" : " (" + p.getName() + ")"))
                        .collect(Collectors.joining(", ")) + ")")));
        return new Resolved(new PodDestination(target.namespace(), new PodPort(target.name(), number)), number, target.port());
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        forwards.forEach(Forward::close);
        forwards.clear();
    }
}
