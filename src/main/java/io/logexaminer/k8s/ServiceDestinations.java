package io.logexaminer.k8s;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.logexaminer.error.OperationFailedException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ready pods behind a service, watched through its EndpointSlices (as kube-proxy does), with the service port's
 * target port as each slice resolved it for its pods, named target ports included.
 */
final class ServiceDestinations implements Destinations {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final ClusterClient cluster;
    private final String namespace;
    private final String service;
    private final SharedIndexInformer<EndpointSlice> informer;
    private final CompletableFuture<Void> started;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile String portName = "";
    private long generation;
    private boolean closed;

    /**
     * Starts listing and then watching the service's EndpointSlices and returns at once, so that reading the service
     * meanwhile costs no extra round trip; {@link #awaitStarted} waits for both.
     */
    ServiceDestinations(ClusterClient cluster, String namespace, String service) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.service = service;
        this.informer = cluster.client().discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel(SERVICE_NAME_LABEL, service)
                .runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
                bump();
            }

            @Override
            public void onUpdate(EndpointSlice oldSlice, EndpointSlice newSlice) {
                bump();
            }

            @Override
            public void onDelete(EndpointSlice slice, boolean deletedFinalStateUnknown) {
                bump();
            }
        });
        this.started = informer.start().toCompletableFuture();
    }

    /** Connections go to {@code port} of the service; returns once the slices are listed and watched. */
    void awaitStarted(ServicePort port) {
        portName = port.getName() == null ? "" : port.getName();
        try {
            started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while reading the EndpointSlices of service " + namespace + "/" + service);
        } catch (ExecutionException e) {
            String doing = "watch the EndpointSlices of service " + namespace + "/" + service;
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof KubernetesClientException k) {
                    throw cluster.failure(doing, k);
                }
            }
            throw new OperationFailedException("cannot " + doing + ": " + ClusterClient.firstLine(e.getCause()), e.getCause());
        }
    }

    private void bump() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Snapshot current() {
        long seen;
        lock.lock();
        try {
            seen = generation;
        } finally {
            lock.unlock();
        }
        Map<String, PodPort> ready = new LinkedHashMap<>();
        for (EndpointSlice slice : informer.getStore().list()) {
            Integer port = slice.getPorts() == null ? null : slice.getPorts().stream()
                    .filter(p -> portName.equals(p.getName() == null ? "" : p.getName()))
                    .filter(p -> p.getProtocol() == null || "TCP".equals(p.getProtocol()))
                    .map(EndpointPort::getPort).filter(Objects::nonNull).findFirst().orElse(null);
            if (port == null || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (isReady(endpoint) && endpoint.getTargetRef() != null && "Pod".equals(endpoint.getTargetRef().getKind())) {
                    ready.putIfAbsent(endpoint.getTargetRef().getName(), new PodPort(endpoint.getTargetRef().getName(), port));
                }
            }
        }
        List<PodPort> pods = new ArrayList<>(ready.values());
        pods.sort(Comparator.comparing(PodPort::pod));
        return new Snapshot(seen, pods);
    }

    /** Unset conditions count as ready, as the EndpointSlice API says consumers should read them. */
    private static boolean isReady(Endpoint endpoint) {
        return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
    }

    @Override
    public boolean awaitChange(long seen, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (generation == seen && !closed) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "service " + namespace + "/" + service;
    }

    @Override
    public void close() {
        informer.close();
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
