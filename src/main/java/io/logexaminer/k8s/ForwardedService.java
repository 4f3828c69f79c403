package io.logexaminer.k8s;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.logexaminer.error.OperationFailedException;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A service read once, with its EndpointSlices listed and watched once, for forwards to several of its ports:
 * <pre>
 * try (ForwardedService web = forwarder.service("apps", "web")) {
 *     for (String port : web.ports()) {
 *         web.open(port, address, OptionalInt.empty());
 *     }
 * }
 * </pre>
 * The forwards share the watch and keep it until the last of them closes; closing this only ends the opening.
 */
public final class ForwardedService implements AutoCloseable {
    private final PortForwarder forwarder;
    private final String namespace;
    private final String name;
    private final List<ServicePort> ports;
    private final EndpointSliceWatch slices;
    private final AtomicBoolean closed = new AtomicBoolean();

    ForwardedService(PortForwarder forwarder, String namespace, String name, List<ServicePort> ports, EndpointSliceWatch slices) {
        this.forwarder = forwarder;
        this.namespace = namespace;
        this.name = name;
        this.ports = ports;
        this.slices = slices;
    }

    /** Each port of the service as a number, in the service's order. */
    public List<String> ports() {
        return ports.stream().map(p -> String.valueOf(p.getPort())).toList();
    }

    /**
     * Listens on {@code address} (without a local port: the service port's number) and returns the forward to
     * {@code port} of the service, a number or a name. Fails with one line when the service has no such port, the
     * EndpointSlices cannot be watched or the local port is taken.
     */
    public Forward open(String port, InetAddress address, OptionalInt localPort) {
        if (closed.get()) {
            throw new IllegalStateException("service " + namespace + "/" + name + ": open after close");
        }
        ServicePort servicePort = ports.stream()
                .filter(p -> port.equals(String.valueOf(p.getPort())) || port.equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new OperationFailedException("service " + namespace + "/" + name + " does not expose port " + port
                        + " (it exposes " + describePorts() + ")"));
        slices.awaitStarted();
        String portName = servicePort.getName() == null ? "" : servicePort.getName();
        return forwarder.listen(ForwardTarget.service(namespace, name, port),
                new PortForwarder.Resolved(new ServiceDestinations(slices, portName), servicePort.getPort(), portName), address, localPort);
    }

    private String describePorts() {
        if (ports.isEmpty()) {
            return "no ports";
        }
        return ports.stream().map(p -> p.getPort() + (p.getName() == null || p.getName().isEmpty() ? "" : " (" + p.getName() + ")"))
                .collect(Collectors.joining(", "));
    }

    /** Lets go of the watch for the opening; the forwards opened keep it. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            slices.release();
        }
    }
}
