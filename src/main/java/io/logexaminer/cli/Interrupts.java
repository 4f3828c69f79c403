package io.logexaminer.cli;

import io.logexaminer.plan.Cancellation;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C: the JVM runs shutdown hooks on SIGINT; the hook cancels the running command and waits for it to
 * finish cleanly, after which the process exits with 130. When nothing is listening for cancellation the process
 * ends at once.
 */
public final class Interrupts {
    private static final Cancellation CANCELLATION = new Cancellation();
    private static final CountDownLatch FINISHED = new CountDownLatch(1);
    private static final long GRACE_SECONDS = 30;
    private static volatile boolean hookInstalled;

    private Interrupts() {
    }

    /** The process-wide cancellation that Ctrl-C sets; commands hand it to their actions. */
    public static synchronized Cancellation cancellation() {
        if (!hookInstalled) {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (FINISHED.getCount() == 0 || !CANCELLATION.isWatched()) {
                    return;
                }
                CANCELLATION.cancel();
                try {
                    FINISHED.await(GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "logexaminer-interrupt"));
        }
        return CANCELLATION;
    }

    /**
     * Ends the process once the command is done and its output flushed: no shutdown hook has work left then. During a
     * Ctrl-C shutdown, lets the hook return instead (exit code 130 comes from the signal).
     */
    static void exit(int code) {
        FINISHED.countDown();
        if (!CANCELLATION.isCancelled()) {
            // System.exit first looks up a System.Logger for its exit event, a scan of every jar on the class path
            Runtime.getRuntime().halt(code);
        }
    }
}
