package io.logexaminer.plan;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Threads for work that blocks on sockets: platform threads, one per task, each ending with its task. A virtual
 * thread blocked on a socket starts the JDK's I/O poller, a platform thread that then waits in {@code epoll_wait}
 * for the rest of the process, and the JVM holds every exit 0.3 s for a thread in native code: a command that ends
 * in half a second would spend a third more waiting for it.
 */
public final class BlockingThreads {
    private BlockingThreads() {
    }

    /** An executor starting a daemon platform thread named {@code name-N} per task. */
    public static ExecutorService executor(String name) {
        return Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name(name + "-", 0).factory());
    }

    /** Starts {@code task} on a daemon platform thread of its own. */
    public static Thread start(String name, Runnable task) {
        return Thread.ofPlatform().daemon().name(name).start(task);
    }
}
