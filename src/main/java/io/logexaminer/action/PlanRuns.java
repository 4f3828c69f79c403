package io.logexaminer.action;

import io.logexaminer.error.CancelledException;
import io.logexaminer.error.LogexaminerException;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.RemoteStateException;
import io.logexaminer.plan.Action;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.plan.GraphRunner;
import io.logexaminer.plan.Inventory;
import io.logexaminer.plan.Observation;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.Plan;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceGraph;
import io.logexaminer.plan.ResourceHandler;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.plan.Teardown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** What {@code up} and {@code down} share: observing a graph, running a plan, and saying how a run ended. */
final class PlanRuns {
    /** Steps at once: enough for every independent branch of the platform, well under AWS's request rates. */
    static final int PARALLELISM = 16;

    private PlanRuns() {
    }

    /** Observes every resource of {@code graph}, dependencies first so that their outputs are known, in parallel. */
    static Map<String, Observation> observe(String platform, ResourceGraph graph, ResourceHandlers handlers, Outputs outputs,
                                            ResourceHandler.Purpose purpose, Cancellation cancellation) {
        Map<String, Observation> seen = new ConcurrentHashMap<>();
        GraphRunner.Report report = new GraphRunner(PARALLELISM).run(Plan.uniform(platform, graph, Action.NOOP),
                (change, listener) -> {
                    Resource r = change.resource();
                    seen.put(r.id(), handlers.require(r).observe(r, outputs, purpose));
                }, ProgressListener.NONE, cancellation);
        check(report, "reading what exists on AWS");
        return seen;
    }

    /**
     * What {@code inventory} finds that {@code graph} does not describe, that a handler can delete, and that exists and
     * is owned: id to type. Their observations go into {@code seen}.
     */
    static Map<String, String> leftovers(String platform, ResourceGraph graph, Inventory inventory, ResourceHandlers handlers,
                                         Outputs outputs, Map<String, Observation> seen, Cancellation cancellation) {
        List<Resource> candidates = new ArrayList<>();
        inventory.owned(outputs).forEach((id, type) -> {
            if (graph.get(id).isEmpty() && Teardown.deletable(type) && handlers.of(type).isPresent()) {
                candidates.add(new Resource(id, List.of(), new ResourceSpec.Leftover(type)));
            }
        });
        Map<String, Observation> found = observe(platform, ResourceGraph.of(candidates), handlers, outputs,
                ResourceHandler.Purpose.DOWN, cancellation);
        Map<String, String> present = new LinkedHashMap<>();
        for (Resource r : candidates) {
            if (found.get(r.id()).presence() == Observation.Presence.PRESENT) {
                present.put(r.id(), r.type());
                seen.put(r.id(), found.get(r.id()));
            }
        }
        return present;
    }

    /**
     * Runs {@code plan}, at most {@code parallelism} steps at once: applies creates and updates, deletes deletions, and
     * reports progress only for real changes.
     */
    static GraphRunner.Report run(Plan plan, ResourceHandlers handlers, Outputs outputs, List<String> kept, ProgressListener listener,
                                  Cancellation cancellation, int parallelism) {
        ProgressListener changesOnly = changesOnly(listener, plan);
        return new GraphRunner(parallelism).run(plan, (change, progress) -> {
            Resource r = change.resource();
            switch (change.action()) {
                case CREATE, UPDATE -> handlers.require(r).apply(r, outputs, progress);
                case DELETE -> handlers.require(r).delete(r, outputs, progress).ifPresent(reason -> kept.add(r.id() + ": " + reason));
                case NOOP -> { }
            }
        }, changesOnly, cancellation);
    }

    /** Passes on the events of resources that change; the unchanged ones would only be noise. */
    private static ProgressListener changesOnly(ProgressListener listener, Plan plan) {
        Set<String> quiet = plan.changes().stream().filter(c -> c.action() == Action.NOOP).map(c -> c.resource().id())
                .collect(Collectors.toSet());
        return new ProgressListener() {
            @Override
            public void started(Resource resource, Action action) {
                if (!quiet.contains(resource.id())) {
                    listener.started(resource, action);
                }
            }

            @Override
            public void message(Resource resource, String message) {
                if (!quiet.contains(resource.id())) {
                    listener.message(resource, message);
                }
            }

            @Override
            public void finished(Resource resource, Action action, Outcome outcome, Duration elapsed, String detail) {
                if (!quiet.contains(resource.id()) || outcome == Outcome.FAILED) {
                    listener.finished(resource, action, outcome, elapsed, detail);
                }
            }
        };
    }

    /** Throws what a run that did not finish comes to: cancelled, or the failures, each on its line. */
    static void check(GraphRunner.Report report, String doing) {
        if (report.cancelled()) {
            throw new CancelledException(doing + " stopped before it finished; run the command again to go on");
        }
        if (report.failures().isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        report.failures().forEach((id, t) -> lines.add(t instanceof LogexaminerException ? t.getMessage()
                : id + ": " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())));
        String message = lines.size() == 1 ? lines.getFirst() : lines.size() + " resources failed:\n  " + String.join("\n  ", lines);
        Throwable first = report.failures().values().iterator().next();
        if (first instanceof RemoteStateException) {
            throw new RemoteStateException(message, first);
        }
        if (first instanceof CancelledException && lines.size() == 1) {
            throw new CancelledException(message);
        }
        throw new OperationFailedException(message, first);
    }

    /** One line naming, by type, the planned resources that no handler takes, or empty when there are none. */
    static Optional<String> unhandled(ResourceGraph graph, ResourceGraph handled, String verb) {
        Map<String, Integer> byType = new TreeMap<>();
        graph.order().stream().filter(r -> handled.get(r.id()).isEmpty()).forEach(r -> byType.merge(r.type(), 1, Integer::sum));
        if (byType.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(verb + " " + byType.values().stream().mapToInt(Integer::intValue).sum() + " planned resources "
                + byType.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ", "(", ")"))
                + ": this build has no handler for them");
    }
}
