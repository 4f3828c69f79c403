package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.plan.ResourceSpec.Tier;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AutoScalingGroup;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupScalingConfig;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.model.Taint;
import software.amazon.awssdk.services.eks.model.TaintEffect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A managed node group in the private subnets, with its labels and taints, and on its Auto Scaling group the
 * cluster autoscaler's node-template tags, which let it scale a group up from zero nodes. The desired size belongs to
 * the autoscaler once the group exists: {@code up} only keeps it within the minimum and maximum.
 */
public final class NodeGroups extends AwsHandler<NodeGroups.Current> {
    private static final String AUTOSCALER = "k8s.io/cluster-autoscaler/";

    /** The node group and the tags of its Auto Scaling groups (those that exist), by group name. */
    record Current(Nodegroup group, Map<String, Map<String, String>> autoScalingTags) {
    }

    public NodeGroups(AwsPlatform aws) {
        super(aws);
    }

    private EksClient eks() {
        return aws.clients().eks();
    }

    private AutoScalingClient autoScaling() {
        return aws.clients().autoScaling();
    }

    private String cluster() {
        return aws.platform().eks().clusterName();
    }

    static String name(Resource resource) {
        return resource.spec() instanceof ResourceSpec.NodeGroup g ? g.group().name()
                : resource.id().substring(resource.id().lastIndexOf('/') + 1);
    }

    private Optional<Nodegroup> read(String name) {
        return unlessNotFound(ResourceNotFoundException.class,
                () -> eks().describeNodegroup(r -> r.clusterName(cluster()).nodegroupName(name)).nodegroup());
    }

    @Override
    Optional<Current> find(Resource resource, Outputs outputs) {
        if (outputs.get(PlanBuilder.CLUSTER, Keys.ARN).isEmpty()) {
            return Optional.empty();
        }
        return read(name(resource)).map(g -> new Current(g, autoScalingTags(g)));
    }

    private Map<String, Map<String, String>> autoScalingTags(Nodegroup group) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (group.resources() == null || !aws.owns(group.tags())) {
            return out;
        }
        List<String> names = group.resources().autoScalingGroups().stream().map(AutoScalingGroup::name).toList();
        if (names.isEmpty()) {
            return out;
        }
        autoScaling().describeAutoScalingGroups(r -> r.autoScalingGroupNames(names)).autoScalingGroups()
                .forEach(g -> out.put(g.autoScalingGroupName(), Tags.map(g.tags(), t -> t.key(), t -> t.value())));
        return out;
    }

    /** The tags the cluster autoscaler reads to build a node from nothing: the group's labels and taints. */
    Map<String, String> autoScalingTemplate(Platform.NodeGroup group) {
        Map<String, String> tags = new TreeMap<>();
        tags.put(AUTOSCALER + "enabled", "true");
        tags.put(AUTOSCALER + cluster(), "owned");
        group.labels().forEach((k, v) -> tags.put(AUTOSCALER + "node-template/label/" + k, v));
        group.taints().forEach(t -> tags.put(AUTOSCALER + "node-template/taint/" + t.key(), t.value() + ":" + t.effect().spelling()));
        return tags;
    }

    @Override
    Map<String, String> tagsOf(Current current) {
        return current.group().tags();
    }

    @Override
    String label(Resource resource, Current current) {
        return "node group " + current.group().nodegroupName();
    }

    @Override
    void record(Resource resource, Current current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ARN, current.group().nodegroupArn());
    }

    private static Set<String> taints(List<Taint> taints) {
        return taints.stream().map(t -> t.key() + "=" + t.value() + ":" + t.effectAsString()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Taint> eksTaints(List<Platform.Taint> taints) {
        return taints.stream().map(t -> Taint.builder().key(t.key()).value(t.value()).effect(TaintEffect.fromValue(t.effect().name())).build())
                .toList();
    }

    private List<String> privateSubnets(Outputs outputs) {
        return aws.platform().network().availabilityZones().stream()
                .map(z -> outputs.require(PlanBuilder.subnetId(Tier.PRIVATE, z), Keys.ID)).toList();
    }

    @Override
    List<Drift> drifts(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        Platform.NodeGroup spec = ((ResourceSpec.NodeGroup) resource.spec()).group();
        Nodegroup g = current.group();
        String name = g.nodegroupName();
        List<Drift> drifts = new ArrayList<>();
        String status = g.statusAsString();
        switch (status) {
            case "ACTIVE" -> { }
            case "CREATING", "UPDATING" -> drifts.add(Drift.staged(status + ": wait until ACTIVE", () -> awaitActive(resource, name, listener)));
            case "DEGRADED" -> drifts.add(Drift.staged("DEGRADED (" + issues(g) + "): wait until ACTIVE",
                    () -> awaitActive(resource, name, listener)));
            default -> drifts.add(Drift.blocked(status + " (" + issues(g) + "): delete node group " + name + " and run up again"));
        }
        String way = ": give the node group a new name in platform.yaml (up creates it and deletes this one), or set it back";
        if (!new TreeSet<>(g.instanceTypes()).equals(new TreeSet<>(spec.instanceTypes()))) {
            drifts.add(Drift.blocked("instance types " + g.instanceTypes() + " cannot become " + spec.instanceTypes() + " in place" + way));
        }
        if (!spec.capacityType().spelling().equals(g.capacityTypeAsString())) {
            drifts.add(Drift.blocked("capacity type " + g.capacityTypeAsString() + " cannot become " + spec.capacityType().spelling() + " in place" + way));
        }
        if (g.diskSize() != null && g.diskSize() != spec.diskSizeGiB()) {
            drifts.add(Drift.blocked("disk size " + g.diskSize() + " GiB cannot become " + spec.diskSizeGiB() + " GiB in place" + way));
        }
        Set<String> subnets = new TreeSet<>();
        aws.platform().network().availabilityZones().forEach(z -> outputs.get(PlanBuilder.subnetId(Tier.PRIVATE, z), Keys.ID).ifPresent(subnets::add));
        if (subnets.size() == aws.platform().network().availabilityZones().size() && !subnets.equals(new TreeSet<>(g.subnets()))) {
            drifts.add(Drift.blocked("spans subnets " + g.subnets() + ", not the platform's private subnets" + way));
        }
        NodegroupScalingConfig scaling = g.scalingConfig();
        if (scaling.minSize() != spec.minSize() || scaling.maxSize() != spec.maxSize()) {
            int desired = Math.max(spec.minSize(), Math.min(spec.maxSize(), scaling.desiredSize()));
            drifts.add(Drift.of("scaling: min " + scaling.minSize() + " -> " + spec.minSize() + ", max " + scaling.maxSize() + " -> "
                    + spec.maxSize() + (desired != scaling.desiredSize() ? ", desired " + scaling.desiredSize() + " -> " + desired : ""),
                    () -> update(resource, name, listener, u -> u.scalingConfig(s -> s.minSize(spec.minSize()).maxSize(spec.maxSize()).desiredSize(desired)))));
        }
        Map<String, String> labels = g.labels() == null ? Map.of() : g.labels();
        if (!labels.equals(spec.labels())) {
            List<String> remove = labels.keySet().stream().filter(k -> !spec.labels().containsKey(k)).toList();
            drifts.add(Drift.of("labels: " + new TreeMap<>(spec.labels()), () -> update(resource, name, listener, u -> u.labels(l -> {
                l.addOrUpdateLabels(spec.labels());
                if (!remove.isEmpty()) {
                    l.removeLabels(remove);
                }
            }))));
        }
        Set<String> wantedTaints = taints(eksTaints(spec.taints()));
        if (!taints(g.taints()).equals(wantedTaints)) {
            List<Taint> remove = g.taints().stream().filter(t -> !wantedTaints.contains(t.key() + "=" + t.value() + ":" + t.effectAsString())).toList();
            drifts.add(Drift.of("taints: " + wantedTaints, () -> update(resource, name, listener, u -> u.taints(t -> {
                t.addOrUpdateTaints(eksTaints(spec.taints()));
                if (!remove.isEmpty()) {
                    t.removeTaints(remove);
                }
            }))));
        }
        Map<String, String> template = autoScalingTemplate(spec);
        current.autoScalingTags().forEach((group, tags) -> tagDrift(template, tags, missing -> autoScaling().createOrUpdateTags(r -> r
                .tags(missing.entrySet().stream().map(e -> Tag.builder().resourceId(group).resourceType("auto-scaling-group")
                        .key(e.getKey()).value(e.getValue()).propagateAtLaunch(false).build()).toList())))
                .ifPresent(d -> drifts.add(Drift.of("Auto Scaling group " + group + " " + d.description(), d.fix()))));
        tagDrift(aws.tags(resource.id()), g.tags(), tags -> eks().tagResource(r -> r.resourceArn(g.nodegroupArn()).tags(tags)))
                .ifPresent(drifts::add);
        return drifts;
    }

    private static String issues(Nodegroup g) {
        return g.health() == null || g.health().issues().isEmpty() ? "no health issues reported"
                : g.health().issues().stream().map(i -> i.codeAsString() + ": " + i.message()).collect(Collectors.joining("; "));
    }

    private void update(Resource resource, String name, ProgressListener listener,
                        java.util.function.Consumer<software.amazon.awssdk.services.eks.model.UpdateNodegroupConfigRequest.Builder> change) {
        // One update at a time per node group: EKS refuses another while one is in progress.
        waiter(resource, listener, aws.waits().nodeGroup()).retrying("updated",
                Set.of("ResourceInUseException"), () -> eks().updateNodegroupConfig(r -> change.accept(r.clusterName(cluster()).nodegroupName(name))));
        awaitActive(resource, name, listener);
    }

    @Override
    Current create(Resource resource, Outputs outputs, ProgressListener listener) {
        Platform.NodeGroup spec = ((ResourceSpec.NodeGroup) resource.spec()).group();
        String role = outputs.require(PlanBuilder.NODE_ROLE, Keys.ARN);
        List<String> subnets = privateSubnets(outputs);
        eks().createNodegroup(r -> r.clusterName(cluster()).nodegroupName(spec.name()).nodeRole(role).subnets(subnets)
                .capacityType(spec.capacityType().spelling()).instanceTypes(spec.instanceTypes()).diskSize(spec.diskSizeGiB())
                .scalingConfig(s -> s.minSize(spec.minSize()).desiredSize(spec.desiredSize()).maxSize(spec.maxSize()))
                .labels(spec.labels()).taints(eksTaints(spec.taints())).tags(aws.tags(resource.id())));
        Nodegroup created = awaitActive(resource, spec.name(), listener);
        return new Current(created, autoScalingTags(created));
    }

    private Nodegroup awaitActive(Resource resource, String name, ProgressListener listener) {
        return waiter(resource, listener, aws.waits().nodeGroup()).until("ACTIVE", () -> read(name),
                Nodegroup::statusAsString, "ACTIVE"::equals, s -> s.endsWith("FAILED") || s.equals("DELETING"), NodeGroups::issues);
    }

    @Override
    void remove(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        String name = current.group().nodegroupName();
        Waiter waiter = waiter(resource, listener, aws.waits().nodeGroup());
        waiter.retrying("deleted", Set.of("ResourceInUseException"), () -> eks().deleteNodegroup(r -> r.clusterName(cluster()).nodegroupName(name)));
        waiter.untilGone(() -> read(name), Nodegroup::statusAsString);
    }
}
