package io.logexaminer.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs one step per planned change in dependency order, independent ones at once on threads of their own, at most
 * {@code parallelism} at a time. After the first failure it starts nothing new and lets running steps finish;
 * on cancellation it interrupts running steps and waits for them to stop.
 */
public final class GraphRunner {

    /** The work for one resource. It may report progress through {@code listener} and must honour interruption. */
    @FunctionalInterface
    public interface Step {
        void run(Plan.Change change, ProgressListener listener) throws Exception;
    }

    /** How each resource ended, in plan order, and the first failure if any. */
    public record Report(Map<String, ProgressListener.Outcome> outcomes, Map<String, Throwable> failures, boolean cancelled) {

        public boolean succeeded() {
            return !cancelled && failures.isEmpty()
                    && outcomes.values().stream().allMatch(o -> o == ProgressListener.Outcome.SUCCEEDED);
        }

        public long count(ProgressListener.Outcome outcome) {
            return outcomes.values().stream().filter(o -> o == outcome).count();
        }
    }

    private record Completion(String id, Throwable error, Duration elapsed) {
    }

    /**
     * A step submitted to its thread. {@code reported} is taken by whoever reports its completion: the step when it
     * starts, or the runner when it cancels a step whose thread has not started it yet (which then never runs it).
     */
    private record Running(Future<?> future, AtomicBoolean reported) {
    }

    private final int parallelism;
    private final Supplier<ExecutorService> threads;

    public GraphRunner(int parallelism) {
        this(parallelism, () -> BlockingThreads.executor("step"));
    }

    /** With the threads {@code threads} gives, for tests that need them to start late. */
    GraphRunner(int parallelism, Supplier<ExecutorService> threads) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
        this.threads = threads;
    }

    public Report run(Plan plan, Step step, ProgressListener listener, Cancellation cancellation) {
        ResourceGraph graph = plan.graph();
        Map<String, Plan.Change> changes = new LinkedHashMap<>();
        plan.changes().forEach(c -> changes.put(c.resource().id(), c));
        Map<String, Integer> position = new HashMap<>();
        List<Resource> order = graph.order();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i).id(), i);
        }

        Map<String, Integer> waiting = new HashMap<>();
        List<String> ready = new ArrayList<>();
        for (Resource r : order) {
            waiting.put(r.id(), r.dependsOn().size());
            if (r.dependsOn().isEmpty()) {
                ready.add(r.id());
            }
        }
        Map<String, ProgressListener.Outcome> outcomes = new LinkedHashMap<>();
        order.forEach(r -> outcomes.put(r.id(), null));
        Map<String, Throwable> failures = new LinkedHashMap<>();
        Map<String, Running> running = new HashMap<>();
        LinkedBlockingQueue<Completion> done = new LinkedBlockingQueue<>();
        boolean stopping = false;
        boolean cancelled = false;

        Thread coordinator = Thread.currentThread();
        try (ExecutorService executor = threads.get();
             AutoCloseable ignored = cancellation.onCancel(coordinator::interrupt)) {
            while (true) {
                if (!stopping && !cancellation.isCancelled()) {
                    ready.sort((a, b) -> Integer.compare(position.get(a), position.get(b)));
                    while (!ready.isEmpty() && running.size() < parallelism) {
                        String id = ready.removeFirst();
                        Plan.Change change = changes.get(id);
                        Resource resource = graph.require(id);
                        listener.started(resource, change.action());
                        AtomicBoolean reported = new AtomicBoolean();
                        running.put(id, new Running(executor.submit(() -> {
                            if (!reported.compareAndSet(false, true)) {
                                return;
                            }
                            long start = System.nanoTime();
                            Throwable error = null;
                            try {
                                step.run(change, listener);
                            } catch (Throwable t) {
                                error = t;
                            }
                            done.add(new Completion(id, error, Duration.ofNanos(System.nanoTime() - start)));
                        }), reported));
                    }
                }
                if (running.isEmpty()) {
                    break;
                }
                Completion c;
                try {
                    c = done.take();
                } catch (InterruptedException e) {
                    if (cancellation.isCancelled() && !cancelled) {
                        cancelled = true;
                        stopping = true;
                        running.forEach((id, r) -> {
                            r.future().cancel(true);
                            if (r.reported().compareAndSet(false, true)) {
                                done.add(new Completion(id, new CancellationException("cancelled before it started"), Duration.ZERO));
                            }
                        });
                    }
                    continue;
                }
                running.remove(c.id());
                Resource resource = graph.require(c.id());
                Action action = changes.get(c.id()).action();
                ProgressListener.Outcome outcome;
                if (c.error() == null) {
                    outcome = ProgressListener.Outcome.SUCCEEDED;
                    for (String next : graph.dependents(c.id())) {
                        if (waiting.merge(next, -1, Integer::sum) == 0) {
                            ready.add(next);
                        }
                    }
                } else if (cancelled) {
                    outcome = ProgressListener.Outcome.CANCELLED;
                } else {
                    outcome = ProgressListener.Outcome.FAILED;
                    failures.put(c.id(), c.error());
                    stopping = true;
                }
                outcomes.put(c.id(), outcome);
                listener.finished(resource, action, outcome, c.elapsed(), c.error() == null ? null : describe(c.error()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("runner failed to close", e);
        }
        Thread.interrupted();
        cancelled = cancelled || cancellation.isCancelled();
        Set<String> notRun = new HashSet<>();
        outcomes.forEach((id, outcome) -> {
            if (outcome == null) {
                notRun.add(id);
            }
        });
        for (Resource r : order) {
            if (notRun.contains(r.id())) {
                outcomes.put(r.id(), ProgressListener.Outcome.SKIPPED);
                listener.finished(r, changes.get(r.id()).action(), ProgressListener.Outcome.SKIPPED, Duration.ZERO,
                        cancelled ? "cancelled before it started" : "not started: an earlier step failed");
            }
        }
        return new Report(outcomes, failures, cancelled);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
