package io.logexaminer.testing;

import io.logexaminer.cli.Cli;
import io.logexaminer.output.Io;
import io.logexaminer.plan.Cancellation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The CLI running in-process on its own thread, for commands that keep running (port-forward): wait for what it
 * prints, then stop it as Ctrl-C would and get its {@link CliRun}.
 */
public final class RunningCli implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Cancellation cancellation = new Cancellation();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private RunningCli(Map<String, String> environment, String... args) {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Thread.ofPlatform().name("cli").daemon().start(() -> {
            try {
                exit.complete(Cli.run(args, new Io(new ByteArrayInputStream(new byte[0]), o, e, env, false, cancellation)));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
    }

    public static RunningCli start(Map<String, String> environment, String... args) {
        return new RunningCli(environment, args);
    }

    public String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    public String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until stderr satisfies {@code condition}; fails with what was printed if it does not within {@code timeout}. */
    public String awaitErr(Predicate<String> condition, Duration timeout) throws InterruptedException {
        return await(this::err, condition, timeout);
    }

    /** Waits until stdout satisfies {@code condition}. */
    public String awaitOut(Predicate<String> condition, Duration timeout) throws InterruptedException {
        return await(this::out, condition, timeout);
    }

    private String await(java.util.function.Supplier<String> text, Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String now = text.get();
            if (condition.test(now)) {
                return now;
            }
            if (exit.isDone()) {
                break;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not printed within " + timeout.toMillis() + " ms" + (exit.isDone() ? " (the command ended)" : "")
                + "\n--- stdout\n" + out() + "--- stderr\n" + err());
    }

    /** Whether the command has ended by itself. */
    public boolean ended() {
        return exit.isDone();
    }

    /** Ctrl-C: cancels, waits for the command to end, and returns the run. */
    public CliRun stop() throws Exception {
        cancellation.cancel();
        return result();
    }

    /** Waits for the command to end by itself. */
    public CliRun result() throws Exception {
        int code = exit.get(30, TimeUnit.SECONDS);
        return new CliRun(code, out(), err());
    }

    @Override
    public void close() {
        cancellation.cancel();
    }
}
