package io.logexaminer.action;

import io.logexaminer.aws.AccountLookup;
import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsInventory;
import io.logexaminer.aws.AwsPlatform;
import io.logexaminer.aws.Waits;
import io.logexaminer.config.Platform;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.plan.Action;
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
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.plan.Teardown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code down}: finds everything the platform owns, deletes it in reverse dependency order (with what EKS left in the
 * VPC between the cluster and the network), and then looks again to confirm that it is gone. Data stays unless the
 * deletion options say otherwise.
 */
public final class DownAction implements AutoCloseable {

    /** Who the credentials belong to. */
    public record Account(String account, String principal) {
    }

    /** What {@code down} would delete; {@code notDeleted} names planned resources this build leaves alone. */
    public record Planned(Plan plan, Optional<String> notDeleted) {
    }

    /**
     * How {@code down} ended.
     *
     * @param kept      resources kept on purpose (a bucket holding data), each saying how to delete it
     * @param remaining resources that should be gone and are not
     */
    public record Result(List<String> kept, List<String> remaining) {
    }

    private final Platform platform;
    private final AwsClients clients;
    private final Waits waits;
    private final AwsPlatform.Deletion deletion;
    /** Registered for what down reads of images, which is nothing: no registry is ever opened. */
    private final ImageMirrors images;
    private AwsPlatform aws;
    private ResourceHandlers handlers;
    private Plan plan;
    private Outputs outputs;

    public DownAction(Platform platform, AwsAccess access, DeletionOptions deletion) {
        this.platform = platform;
        this.clients = access.clients(platform.region());
        this.deletion = new AwsPlatform.Deletion(deletion.deleteData(), deletion.skipFinalSnapshot());
        this.waits = Waits.standard();
        this.images = new ImageMirrors(platform, access, clients, Optional.empty(), Duration.ZERO);
    }

    /** Reads who the credentials belong to; {@code down} does not go on without knowing. */
    public Account account() {
        AccountLookup.Result who = new AccountLookup(clients).identify();
        if (!who.known()) {
            throw new OperationFailedException("cannot read the AWS account, so nothing was deleted: " + who.problem());
        }
        aws = new AwsPlatform(clients, platform, who.identity(), waits, deletion);
        return new Account(who.identity().account(), who.identity().arn());
    }

    /** The deletion plan, changing nothing: every owned resource {@code delete}, the rest {@code noop}. */
    public Planned plan(Cancellation cancellation) {
        if (aws == null) {
            throw new IllegalStateException("plan needs the account first");
        }
        handlers = ResourceHandlers.of(aws, images);
        ResourceGraph graph = PlanBuilder.build(platform);
        ResourceGraph handled = graph.subgraph(handlers::handles);
        outputs = new Outputs();
        Found found = find(graph, handled, cancellation);
        ResourceGraph teardown = Teardown.down(handled, platform.eks().clusterName(), found.leftovers());
        List<Plan.Change> changes = new ArrayList<>();
        for (Resource r : teardown.order()) {
            Observation o = found.observations().get(r.id());
            changes.add(o == null ? new Plan.Change(r, Action.NOOP, List.of())
                    : new Plan.Change(r, o.downAction(), o.notes()));
        }
        plan = new Plan(platform.name(), teardown, changes);
        return new Planned(plan, PlanRuns.unhandled(graph, handled, "not deleted:"));
    }

    private record Found(Map<String, Observation> observations, Map<String, String> leftovers) {
    }

    /** Observes the platform's resources, what EKS left, and the owned resources platform.yaml no longer describes. */
    private Found find(ResourceGraph graph, ResourceGraph handled, Cancellation cancellation) {
        Map<String, Observation> seen = new LinkedHashMap<>(
                PlanRuns.observe(platform.name(), handled, handlers, outputs, Purpose.DOWN, cancellation));
        if (handled.get(PlanBuilder.CLUSTER).isPresent()) {
            Resource cleanup = new Resource(Teardown.CLUSTER_LEFTOVERS, List.of(),
                    new ResourceSpec.ClusterLeftovers(platform.eks().clusterName()));
            seen.putAll(PlanRuns.observe(platform.name(), ResourceGraph.of(List.of(cleanup)), handlers, outputs, Purpose.DOWN,
                    cancellation));
        }
        Map<String, String> leftovers = PlanRuns.leftovers(platform.name(), graph, new AwsInventory(aws), handlers, outputs, seen,
                cancellation);
        return new Found(seen, leftovers);
    }

    /** Deletes what {@link #plan} found, then looks again for anything of the platform's that is still there. */
    public Result apply(ProgressListener listener, Cancellation cancellation) {
        if (plan == null) {
            throw new IllegalStateException("apply needs a plan");
        }
        List<String> kept = new CopyOnWriteArrayList<>();
        GraphRunner.Report report = PlanRuns.run(plan, handlers, outputs, kept, listener, cancellation, PlanRuns.PARALLELISM);
        PlanRuns.check(report, "down");
        outputs = new Outputs();
        ResourceGraph graph = PlanBuilder.build(platform);
        Found after = find(graph, graph.subgraph(handlers::handles), cancellation);
        List<String> remaining = new ArrayList<>();
        after.observations().forEach((id, o) -> {
            if (o.presence() == Observation.Presence.PRESENT && kept.stream().noneMatch(k -> k.startsWith(id + ": "))) {
                remaining.add(id);
            }
        });
        return new Result(List.copyOf(kept), remaining);
    }

    @Override
    public void close() {
        images.close();
        clients.close();
    }
}
