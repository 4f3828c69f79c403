package io.logexaminer.k8s;

import java.util.List;

/** Where the new connections of a forward may go, as it changes: the ready pods of a service, or one pod. */
interface Destinations extends AutoCloseable {

    /** The candidates now, and a generation that changes whenever they may have. */
    record Snapshot(long generation, List<PodPort> ready) {
    }

    Snapshot current();

    /**
     * Waits until the candidates may differ from those of {@code generation}, or until {@code deadlineNanos}
     * ({@link System#nanoTime()}); false when the deadline passed or the forward closed first.
     */
    boolean awaitChange(long generation, long deadlineNanos) throws InterruptedException;

    /** {@code service NAMESPACE/NAME} or {@code pod NAMESPACE/NAME}, for messages. */
    String describe();

    @Override
    void close();
}
