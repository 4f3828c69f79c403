package io.logexaminer.plan;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A flag that Ctrl-C sets; work in progress registers what to do when it is set. */
public final class Cancellation {
    private volatile boolean cancelled;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            listeners.forEach(Runnable::run);
        }
    }

    /** Whether some running work listens for cancellation, and so is worth waiting for. */
    public boolean isWatched() {
        return !listeners.isEmpty();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code listener} on cancellation (at once if already cancelled). Returns a handle that removes it. */
    public AutoCloseable onCancel(Runnable listener) {
        listeners.add(listener);
        if (cancelled) {
            listener.run();
        }
        return () -> listeners.remove(listener);
    }
}
