package io.logexaminer.k8s;

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
import java.util.function.BooleanSupplier;

/**
 * The EndpointSlices of one service, listed and then watched (as kube-proxy does), for the forwards to any of its
 * ports: each reads the ready pods with its own port as each slice resolved it, named target ports included. The
 * watch stops when the last holder lets go.
 */
final class EndpointSliceWatch {
    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final ClusterClient cluster;
    private final String namespace;
    private final String service;
    private final SharedIndexInformer<EndpointSlice> informer;
    private final CompletableFuture<Void> started;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;
    private int holders = 1;
    private boolean closed;

    /**
     * Starts listing and then watching the service's EndpointSlices and returns at once, held once, so that reading
     * the service meanwhile costs no extra round trip; {@link #awaitStarted} waits for both.
     */
    EndpointSliceWatch(ClusterClient cluster, String namespace, String service) {
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

    /** Returns once the slices are listed and watched. */
    void awaitStarted() {
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

    /** The ready pods for the service port named {@code portName} ("" for an unnamed one). */
    Destinations.Snapshot ready(String portName) {
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
        return new Destinations.Snapshot(seen, pods);
    }

    /** Unset conditions count as ready, as the EndpointSlice API says consumers should read them. */
    private static boolean isReady(Endpoint endpoint) {
        return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
    }

    /** As {@link Destinations#awaitChange}; {@code letGo} is asked again whenever a holder lets go, so that its waits end. */
    boolean awaitChange(long seen, long deadlineNanos, BooleanSupplier letGo) throws InterruptedException {
        lock.lock();
        try {
            while (generation == seen && !closed && !letGo.getAsBoolean()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return !closed && !letGo.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    String describe() {
        return "service " + namespace + "/" + service;
    }

    /** One more holder, for one more forward to a port of the service. */
    void hold() {
        lock.lock();
        try {
            holders++;
        } finally {
            lock.unlock();
        }
    }

    /** The holder is done; the last one stops the watch. */
    void release() {
        boolean last;
        lock.lock();
        try {
            holders--;
            last = holders == 0;
            if (last) {
                closed = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (last) {
            informer.close();
        }
    }
}
