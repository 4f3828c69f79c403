package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Addon;
import software.amazon.awssdk.services.eks.model.ResolveConflicts;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An EKS add-on (vpc-cni, coredns, kube-proxy, aws-ebs-csi-driver), at the version platform.yaml names or EKS's
 * default for the cluster, with its IRSA role where it has one. It takes over a self-managed install it finds.
 */
public final class EksAddons extends AwsHandler<Addon> {

    public EksAddons(AwsPlatform aws) {
        super(aws);
    }

    private EksClient eks() {
        return aws.clients().eks();
    }

    private String cluster() {
        return aws.platform().eks().clusterName();
    }

    static String name(Resource resource) {
        return resource.spec() instanceof ResourceSpec.EksAddon a ? a.name() : resource.id().substring(resource.id().lastIndexOf('/') + 1);
    }

    private Optional<Addon> read(String name) {
        return unlessNotFound(ResourceNotFoundException.class,
                () -> eks().describeAddon(r -> r.clusterName(cluster()).addonName(name)).addon());
    }

    @Override
    Optional<Addon> find(Resource resource, Outputs outputs) {
        if (outputs.get(PlanBuilder.CLUSTER, Keys.ARN).isEmpty()) {
            return Optional.empty();
        }
        return read(name(resource));
    }

    @Override
    Map<String, String> tagsOf(Addon current) {
        return current.tags();
    }

    @Override
    String label(Resource resource, Addon current) {
        return "add-on " + current.addonName();
    }

    @Override
    void record(Resource resource, Addon current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ARN, current.addonArn());
    }

    private static String issues(Addon a) {
        return a.health() == null || a.health().issues().isEmpty() ? "no health issues reported"
                : a.health().issues().stream().map(i -> i.codeAsString() + ": " + i.message()).collect(Collectors.joining("; "));
    }

    private Optional<String> role(ResourceSpec.EksAddon spec, Outputs outputs) {
        return spec.serviceAccountRoleId() == null ? Optional.empty() : outputs.get(spec.serviceAccountRoleId(), Keys.ARN);
    }

    @Override
    List<Drift> drifts(Resource resource, Addon current, Outputs outputs, ProgressListener listener) {
        ResourceSpec.EksAddon spec = (ResourceSpec.EksAddon) resource.spec();
        List<Drift> drifts = new ArrayList<>();
        String status = current.statusAsString();
        switch (status) {
            case "ACTIVE" -> { }
            case "CREATING", "UPDATING", "DEGRADED" -> drifts.add(Drift.of(status + ": wait until ACTIVE",
                    () -> awaitActive(resource, listener)));
            default -> drifts.add(Drift.blocked(status + " (" + issues(current) + "): delete the add-on " + spec.name()
                    + " (aws eks delete-addon) and run up again"));
        }
        boolean versionDiffers = !spec.version().isEmpty() && !spec.version().equals(current.addonVersion());
        Optional<String> role = role(spec, outputs);
        boolean roleDiffers = spec.serviceAccountRoleId() != null && (role.isEmpty() || !role.get().equals(current.serviceAccountRoleArn()));
        if (versionDiffers || roleDiffers) {
            String what = (versionDiffers ? "version " + current.addonVersion() + " -> " + spec.version() : "")
                    + (versionDiffers && roleDiffers ? ", " : "") + (roleDiffers ? "service account role " + spec.serviceAccountRoleId() : "");
            drifts.add(Drift.of(what, () -> {
                waiter(resource, listener, aws.waits().addon()).retrying("updated",
                        Set.of("ResourceInUseException"), () -> eks().updateAddon(r -> r.clusterName(cluster()).addonName(spec.name())
                                .addonVersion(spec.version().isEmpty() ? null : spec.version())
                                .serviceAccountRoleArn(spec.serviceAccountRoleId() == null ? null : outputs.require(spec.serviceAccountRoleId(), Keys.ARN))
                                .resolveConflicts(ResolveConflicts.OVERWRITE)));
                awaitActive(resource, listener);
            }));
        }
        tagDrift(aws.tags(resource.id()), current.tags(), tags -> eks().tagResource(r -> r.resourceArn(current.addonArn()).tags(tags)))
                .ifPresent(drifts::add);
        return drifts;
    }

    @Override
    Addon create(Resource resource, Outputs outputs, ProgressListener listener) {
        ResourceSpec.EksAddon spec = (ResourceSpec.EksAddon) resource.spec();
        String role = spec.serviceAccountRoleId() == null ? null : outputs.require(spec.serviceAccountRoleId(), Keys.ARN);
        eks().createAddon(r -> r.clusterName(cluster()).addonName(spec.name()).addonVersion(spec.version().isEmpty() ? null : spec.version())
                .serviceAccountRoleArn(role).resolveConflicts(ResolveConflicts.OVERWRITE).tags(aws.tags(resource.id())));
        return awaitActive(resource, listener);
    }

    Addon awaitActive(Resource resource, ProgressListener listener) {
        return waiter(resource, listener, aws.waits().addon()).until("ACTIVE", () -> read(name(resource)),
                Addon::statusAsString, "ACTIVE"::equals, s -> s.endsWith("FAILED") || s.equals("DELETING"), EksAddons::issues);
    }

    @Override
    void remove(Resource resource, Addon current, Outputs outputs, ProgressListener listener) {
        Waiter waiter = waiter(resource, listener, aws.waits().addon());
        waiter.retrying("deleted", Set.of("ResourceInUseException"),
                () -> eks().deleteAddon(r -> r.clusterName(cluster()).addonName(current.addonName())));
        waiter.untilGone(() -> read(current.addonName()), Addon::statusAsString);
    }
}
