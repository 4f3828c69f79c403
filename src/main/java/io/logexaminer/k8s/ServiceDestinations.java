package io.logexaminer.k8s;

import java.util.concurrent.atomic.AtomicBoolean;

/** The ready pods behind one port of a service, read from the service's EndpointSlice watch, which it holds until closed. */
final class ServiceDestinations implements Destinations {
    private final EndpointSliceWatch slices;
    private final String portName;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Connections go to the service port named {@code portName} ("" for an unnamed one). */
    ServiceDestinations(EndpointSliceWatch slices, String portName) {
        slices.hold();
        this.slices = slices;
        this.portName = portName;
    }

    @Override
    public Snapshot current() {
        return slices.ready(portName);
    }

    @Override
    public boolean awaitChange(long seen, long deadlineNanos) throws InterruptedException {
        return slices.awaitChange(seen, deadlineNanos, closed::get);
    }

    @Override
    public String describe() {
        return slices.describe();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            slices.release();
        }
    }
}
