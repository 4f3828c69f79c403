package io.logexaminer.action;

import io.logexaminer.aws.AccountLookup;
import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsInventory;
import io.logexaminer.aws.AwsPlatform;
import io.logexaminer.aws.Preflight;
import io.logexaminer.aws.Waits;
import io.logexaminer.config.Platform;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.RemoteStateException;
import io.logexaminer.plan.Action;
import io.logexaminer.plan.BlockingThreads;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.plan.GraphRunner;
import io.logexaminer.plan.Observation;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.Plan;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceGraph;
import io.logexaminer.plan.ResourceHandler.Purpose;
import io.logexaminer.plan.Teardown;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * {@code up}: reads what exists, plans each resource's action from what it finds, and makes AWS match platform.yaml,
 * independent resources at once. Nothing is written before the whole plan is known and every preflight check passed.
 */
public final class UpAction implements AutoCloseable {

    /**
     * Who the credentials belong to.
     *
     * @param account the AWS account, when it could be read
     * @param problem why it could not be read; a dry run then assumes nothing exists
     */
    public record Account(Optional<String> account, Optional<String> principal, Optional<String> problem) {
    }

    /**
     * What {@code up} would do.
     *
     * @param notApplied the line naming planned resources this build does not apply, if any; it says so when nothing
     *                   else is pending, since they alone then keep the plan from being all {@code noop}
     * @param refusals   why {@code up} must not go ahead (a resource it does not own, a change AWS cannot make), each
     *                   with the way out
     */
    public record Planned(Plan plan, Optional<String> notApplied, List<String> refusals) {

        /** Refuses to go on when a resource is in the way: the plan may be printed, nothing else happens. */
        public void requireNoRefusals() {
            if (!refusals.isEmpty()) {
                throw new RemoteStateException("up cannot go ahead, nothing was changed:\n  " + String.join("\n  ", refusals));
            }
        }
    }

    /**
     * What an applied {@code up} did, counted by action, and the kubeconfig context it wrote for the cluster, or why it
     * could not.
     */
    public record Applied(Map<Action, Integer> actions, Optional<ClusterAccess.KubeconfigWritten> kubeconfig,
                          Optional<String> kubeconfigProblem) {
    }

    /**
     * @param registry              where images go instead of the account's ECR registry ({@code http://} for plain HTTP)
     * @param imageProgressInterval how often an image being copied reports its progress
     * @param parallelism           how many resources may be worked on at once (1: one at a time)
     */
    public record Options(Optional<URI> registry, Duration imageProgressInterval, int parallelism) {
        public Options(Optional<URI> registry, Duration imageProgressInterval) {
            this(registry, imageProgressInterval, PlanRuns.PARALLELISM);
        }
    }

    private final Platform platform;
    private final AwsAccess access;
    private final AwsClients clients;
    private final Waits waits;
    private final int parallelism;
    private final ImageMirrors images;
    private final Outputs outputs = new Outputs();
    private AccountLookup.Result who;
    private ResourceHandlers handlers;
    private Plan applyPlan;
    private Planned planned;

    public UpAction(Platform platform, AwsAccess access, Options options) {
        this.platform = platform;
        this.access = access;
        this.clients = access.clients(platform.region());
        this.waits = Waits.standard();
        this.parallelism = options.parallelism();
        this.images = new ImageMirrors(platform, access, clients, options.registry(), options.imageProgressInterval());
    }

    /** Reads who the credentials belong to; only a dry run goes on without knowing. */
    public Account account(boolean dryRun) {
        who = new AccountLookup(clients).identify();
        if (!who.known()) {
            if (!dryRun) {
                throw new OperationFailedException("cannot read the AWS account, so nothing was changed: " + who.problem());
            }
            return new Account(Optional.empty(), Optional.empty(), Optional.of(who.problem()));
        }
        return new Account(Optional.of(who.identity().account()), Optional.of(who.identity().arn()), Optional.empty());
    }

    /**
     * The plan, changing nothing. Without a readable account every resource is {@code create}; with one the preflight
     * checks run and every resource is observed.
     */
    public Planned plan(Cancellation cancellation) {
        ResourceGraph graph = PlanBuilder.build(platform);
        if (who == null || !who.known()) {
            planned = new Planned(Plan.uniform(platform.name(), graph, Action.CREATE), Optional.empty(), List.of());
            return planned;
        }
        AwsPlatform aws = new AwsPlatform(clients, platform, who.identity(), waits, AwsPlatform.Deletion.KEEP_DATA);
        handlers = ResourceHandlers.of(aws, images);
        ResourceGraph handled = graph.subgraph(handlers::handles);
        Map<String, Observation> seen = observeAfterPreflight(handled, cancellation);
        Map<String, String> leftovers = PlanRuns.leftovers(platform.name(), graph, new AwsInventory(aws), handlers, outputs, seen,
                cancellation);

        List<String> refusals = new ArrayList<>();
        Map<String, Plan.Change> changes = new LinkedHashMap<>();
        for (Resource r : graph.order()) {
            Observation o = seen.get(r.id());
            if (o == null) {
                changes.put(r.id(), new Plan.Change(r, Action.CREATE, List.of()));
                continue;
            }
            List<String> details = new ArrayList<>(o.differences());
            o.blockers().forEach(b -> details.add("cannot: " + b));
            o.blockers().forEach(b -> refusals.add(r.id() + ": " + b));
            if (o.presence() == Observation.Presence.NOT_OWNED) {
                details.addAll(o.notes());
                o.notes().forEach(n -> refusals.add(r.id() + ": " + n + "; rename it in platform.yaml, or tag it "
                        + Platform.OWNER_TAG + "=" + platform.name() + " and " + Platform.LOGICAL_ID_TAG + "=" + r.id() + " to adopt it"));
            }
            changes.put(r.id(), new Plan.Change(r, o.upAction(), details));
        }
        ResourceGraph shown = Teardown.up(graph, leftovers);
        ResourceGraph applied = Teardown.up(handled, leftovers);
        for (String id : leftovers.keySet()) {
            changes.put(id, new Plan.Change(shown.require(id), Action.DELETE, List.of("no longer in platform.yaml")));
        }
        Plan plan = new Plan(platform.name(), shown, shown.order().stream().map(r -> changes.get(r.id())).toList());
        applyPlan = new Plan(platform.name(), applied, applied.order().stream().map(r -> changes.get(r.id())).toList());
        Optional<String> notApplied = PlanRuns.unhandled(graph, handled, "not applied:")
                .map(line -> applyPlan.hasChanges() ? line : line + "; nothing else is pending");
        planned = new Planned(plan, notApplied, List.copyOf(refusals));
        return planned;
    }

    /**
     * Observes {@code handled} while the preflight checks run, as both only read; a problem the checks find wins over
     * whatever observing ran into, and stops everything.
     */
    private Map<String, Observation> observeAfterPreflight(ResourceGraph handled, Cancellation cancellation) {
        CompletableFuture<List<String>> preflight = CompletableFuture.supplyAsync(() -> new Preflight(clients, platform).problems(),
                task -> BlockingThreads.start("preflight", task));
        RuntimeException failed = null;
        Map<String, Observation> seen = null;
        try {
            seen = PlanRuns.observe(platform.name(), handled, handlers, outputs, Purpose.UP, cancellation);
        } catch (RuntimeException e) {
            failed = e;
        }
        List<String> problems = preflight.join();
        if (!problems.isEmpty()) {
            throw new OperationFailedException("preflight found problems, nothing was changed:\n  " + String.join("\n  ", problems));
        }
        if (failed != null) {
            throw failed;
        }
        return seen;
    }

    /**
     * Applies the plan {@link #plan} made; refuses when it found a resource in the way. Once everything is applied, and
     * so the cluster is active, writes its kubeconfig context.
     */
    public Applied apply(ProgressListener listener, Cancellation cancellation) {
        if (planned == null || applyPlan == null) {
            throw new IllegalStateException("apply needs a plan made with credentials");
        }
        planned.requireNoRefusals();
        List<String> kept = new CopyOnWriteArrayList<>();
        GraphRunner.Report report = PlanRuns.run(applyPlan, handlers, outputs, kept, listener, cancellation, parallelism);
        PlanRuns.check(report, "up");
        try {
            return new Applied(applyPlan.summary(), Optional.of(ClusterAccess.writeKubeconfig(platform, access, clients, Optional.empty(),
                    Optional.empty())), Optional.empty());
        } catch (RuntimeException e) {
            // The platform is up; a kubeconfig that cannot be written is for the user to fix, and up to report.
            return new Applied(applyPlan.summary(), Optional.empty(), Optional.of(String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void close() {
        images.close();
        clients.close();
    }
}
