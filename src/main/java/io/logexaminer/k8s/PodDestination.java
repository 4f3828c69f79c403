package io.logexaminer.k8s;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** A forward to one pod: always that pod; while it refuses (gone, restarting) the connection retries twice a second. */
final class PodDestination implements Destinations {
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String namespace;
    private final PodPort pod;
    private volatile boolean closed;

    PodDestination(String namespace, PodPort pod) {
        this.namespace = namespace;
        this.pod = pod;
    }

    @Override
    public Snapshot current() {
        return new Snapshot(0, List.of(pod));
    }

    @Override
    public boolean awaitChange(long generation, long deadlineNanos) throws InterruptedException {
        long wait = Math.min(RETRY_NANOS, deadlineNanos - System.nanoTime());
        if (wait <= 0 || closed) {
            return false;
        }
        TimeUnit.NANOSECONDS.sleep(wait);
        return !closed;
    }

    @Override
    public String describe() {
        return "pod " + namespace + "/" + pod.pod();
    }

    @Override
    public void close() {
        closed = true;
    }
}
