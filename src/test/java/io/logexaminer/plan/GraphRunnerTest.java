package io.logexaminer.plan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.logexaminer.plan.ResourceGraphTest.r;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class GraphRunnerTest {

    private static Plan plan(Resource... resources) {
        return Plan.uniform("t", ResourceGraph.of(List.of(resources)), Action.CREATE);
    }

    @Test
    void stepsStartOnlyAfterTheirDependenciesSucceeded() {
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<String>> seenAtStart = new ConcurrentHashMap<>();
        Plan plan = plan(r("a"), r("b", "a"), r("c", "a"), r("d", "b", "c"));
        GraphRunner.Report report = new GraphRunner(4).run(plan, (change, l) -> {
            seenAtStart.put(change.resource().id(), List.copyOf(finished));
            Thread.sleep(20);
            finished.add(change.resource().id());
        }, ProgressListener.NONE, new Cancellation());
        assertTrue(report.succeeded());
        for (Resource res : plan.graph().order()) {
            assertTrue(seenAtStart.get(res.id()).containsAll(res.dependsOn()), res.id() + " started before " + res.dependsOn());
        }
    }

    @Test
    void independentStepsRunAtTheSameTimeUpToTheBound() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Resource> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add(r("r" + i));
        }
        long start = System.nanoTime();
        GraphRunner.Report report = new GraphRunner(4).run(plan(many.toArray(Resource[]::new)), (change, l) -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.sleep(100);
            now.decrementAndGet();
        }, ProgressListener.NONE, new Cancellation());
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(report.succeeded());
        assertEquals(4, peak.get());
        assertTrue(tookMs < 12 * 100 / 2, "12 steps of 100ms, 4 at a time, took " + tookMs + "ms");
    }

    @Test
    void firstFailureStopsNewWorkButLetsRunningStepsFinish() throws InterruptedException {
        CountDownLatch slowStarted = new CountDownLatch(1);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Plan plan = plan(r("slow"), r("bad"), r("after-bad", "bad"), r("after-slow", "slow"), r("late"));
        GraphRunner.Report report = new GraphRunner(2).run(plan, (change, l) -> {
            String id = change.resource().id();
            ran.add(id);
            switch (id) {
                case "slow" -> {
                    slowStarted.countDown();
                    Thread.sleep(300);
                }
                case "bad" -> {
                    slowStarted.await();
                    throw new IllegalStateException("boom");
                }
                default -> {
                }
            }
        }, ProgressListener.NONE, new Cancellation());
        assertFalse(report.succeeded());
        assertEquals(ProgressListener.Outcome.SUCCEEDED, report.outcomes().get("slow"));
        assertEquals(ProgressListener.Outcome.FAILED, report.outcomes().get("bad"));
        assertEquals("boom", report.failures().get("bad").getMessage());
        assertEquals(ProgressListener.Outcome.SKIPPED, report.outcomes().get("after-bad"));
        assertEquals(ProgressListener.Outcome.SKIPPED, report.outcomes().get("after-slow"));
        assertEquals(ProgressListener.Outcome.SKIPPED, report.outcomes().get("late"));
        assertEquals(List.of("slow", "bad"), ran.stream().sorted((a, b) -> a.equals("slow") ? -1 : 1).toList());
    }

    @Test
    void cancellationInterruptsRunningStepsAndStartsNothingNew() throws InterruptedException {
        Cancellation cancellation = new Cancellation();
        CountDownLatch running = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        Plan plan = plan(r("a"), r("b"), r("c", "a"));
        Thread canceller = Thread.ofVirtual().start(() -> {
            try {
                running.await();
            } catch (InterruptedException e) {
                return;
            }
            cancellation.cancel();
        });
        GraphRunner.Report report = new GraphRunner(4).run(plan, (change, l) -> {
            running.countDown();
            try {
                TimeUnit.SECONDS.sleep(20);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
        }, ProgressListener.NONE, cancellation);
        canceller.join();
        assertTrue(report.cancelled());
        assertEquals(2, interrupted.get());
        assertEquals(ProgressListener.Outcome.CANCELLED, report.outcomes().get("a"));
        assertEquals(ProgressListener.Outcome.CANCELLED, report.outcomes().get("b"));
        assertEquals(ProgressListener.Outcome.SKIPPED, report.outcomes().get("c"));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the runner waited for it forever once
    void aCancelledStepWhoseThreadHadNotStartedItIsReportedCancelledAndNeverRuns() throws Exception {
        Cancellation cancellation = new Cancellation();
        CountDownLatch submitted = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        // Threads that start their task (the executor's Future) only once the runner has cancelled it.
        Supplier<ExecutorService> late = () -> Executors.newThreadPerTaskExecutor(task -> Thread.ofPlatform().unstarted(() -> {
            submitted.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(task instanceof java.util.concurrent.Future<?> f && f.isCancelled()) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            task.run();
        }));
        Thread canceller = Thread.ofVirtual().start(() -> {
            try {
                submitted.await();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            cancellation.cancel();
        });
        GraphRunner.Report report = new GraphRunner(2, late).run(plan(r("a"), r("b", "a")), (change, l) -> ran.incrementAndGet(),
                ProgressListener.NONE, cancellation);
        canceller.join();
        assertTrue(report.cancelled());
        assertEquals(0, ran.get(), "a step cancelled before its thread ran it does not run");
        assertEquals(ProgressListener.Outcome.CANCELLED, report.outcomes().get("a"));
        assertEquals(ProgressListener.Outcome.SKIPPED, report.outcomes().get("b"));
    }

    @Test
    void progressIsReportedForEveryResource() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ProgressListener listener = new ProgressListener() {
            @Override
            public void started(Resource resource, Action action) {
                events.add("start " + resource.id());
            }

            @Override
            public void message(Resource resource, String message) {
                events.add(resource.id() + ": " + message);
            }

            @Override
            public void finished(Resource resource, Action action, Outcome outcome, Duration elapsed, String detail) {
                events.add(outcome + " " + resource.id());
            }
        };
        new GraphRunner(1).run(plan(r("a"), r("b", "a")), (change, l) -> l.message(change.resource(), "working"),
                listener, new Cancellation());
        assertEquals(List.of("start a", "a: working", "SUCCEEDED a", "start b", "b: working", "SUCCEEDED b"), events);
    }
}
