package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.plan.ResourceSpec.Tier;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.model.VpcConfigResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The EKS cluster: its Kubernetes version, its subnets and endpoint access, authentication through access entries
 * and the aws-auth config map, and the creator as cluster admin so that the tool can install the components.
 */
public final class EksClusters extends AwsHandler<Cluster> {
    private static final Set<String> FAILED = Set.of("FAILED");

    public EksClusters(AwsPlatform aws) {
        super(aws);
    }

    private EksClient eks() {
        return aws.clients().eks();
    }

    private String name() {
        return aws.platform().eks().clusterName();
    }

    Optional<Cluster> read() {
        return unlessNotFound(ResourceNotFoundException.class, () -> eks().describeCluster(r -> r.name(name())).cluster());
    }

    @Override
    Optional<Cluster> find(Resource resource, Outputs outputs) {
        return read();
    }

    @Override
    Map<String, String> tagsOf(Cluster current) {
        return current.tags();
    }

    @Override
    String label(Resource resource, Cluster current) {
        return "EKS cluster " + current.name();
    }

    @Override
    void record(Resource resource, Cluster current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ARN, current.arn());
        outputs.put(resource.id(), Keys.NAME, current.name());
        if (current.identity() != null && current.identity().oidc() != null) {
            outputs.put(resource.id(), Keys.ISSUER, current.identity().oidc().issuer());
        }
        if (current.resourcesVpcConfig() != null) {
            outputs.put(resource.id(), Keys.CLUSTER_SECURITY_GROUP, current.resourcesVpcConfig().clusterSecurityGroupId());
        }
    }

    /** The subnet resource ids the cluster spans: private ones for the nodes, public ones for internet-facing load balancers. */
    private List<String> subnetIds() {
        List<String> zones = aws.platform().network().availabilityZones();
        return Stream.concat(zones.stream().map(z -> PlanBuilder.subnetId(Tier.PRIVATE, z)),
                zones.stream().map(z -> PlanBuilder.subnetId(Tier.PUBLIC, z))).toList();
    }

    private List<String> physicalSubnets(Outputs outputs) {
        return subnetIds().stream().map(id -> outputs.require(id, Keys.ID)).toList();
    }

    static int minor(String version) {
        String[] parts = version.split("\\.");
        return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    }

    @Override
    List<Drift> drifts(Resource resource, Cluster current, Outputs outputs, ProgressListener listener) {
        ResourceSpec.EksCluster spec = (ResourceSpec.EksCluster) resource.spec();
        Platform.Eks eks = aws.platform().eks();
        List<Drift> drifts = new ArrayList<>();
        String status = current.statusAsString();
        switch (status) {
            case "ACTIVE" -> { }
            case "CREATING", "UPDATING", "PENDING" -> drifts.add(Drift.staged(status + ": wait until ACTIVE",
                    () -> awaitActive(resource, listener)));
            case "DELETING" -> drifts.add(Drift.blocked("is being deleted: wait until it is gone, then run up again"));
            default -> drifts.add(Drift.blocked(status + (current.health() == null ? "" : " " + current.health().issues())
                    + ": run down, then up"));
        }
        int actual = minor(current.version());
        int wanted = minor(spec.version());
        if (wanted < actual) {
            drifts.add(Drift.blocked("runs Kubernetes " + current.version() + " and EKS cannot downgrade to " + spec.version()
                    + ": set eks.version to \"" + current.version() + "\" or newer"));
        } else if (wanted > actual) {
            drifts.add(Drift.of("version " + current.version() + " -> " + spec.version() + " (one minor version at a time)",
                    () -> upgrade(resource, current.version(), spec.version(), listener)));
        }
        VpcConfigResponse vpc = current.resourcesVpcConfig();
        Set<String> subnets = new TreeSet<>(vpc.subnetIds());
        Set<String> wantedSubnets = new TreeSet<>();
        subnetIds().forEach(id -> outputs.get(id, Keys.ID).ifPresent(wantedSubnets::add));
        if (wantedSubnets.size() == subnetIds().size() && !wantedSubnets.equals(subnets)) {
            drifts.add(Drift.blocked("spans subnets " + subnets + ", not the platform's " + wantedSubnets
                    + ": a cluster's subnets cannot change here; run down and then up"));
        }
        Optional<String> role = outputs.get(PlanBuilder.CLUSTER_ROLE, Keys.ARN);
        if (role.isPresent() && !role.get().equals(current.roleArn())) {
            drifts.add(Drift.blocked("uses role " + current.roleArn() + ", not " + role.get() + ": run down and then up"));
        }
        List<String> cidrs = publicAccessCidrs();
        boolean cidrsDiffer = eks.endpointPublicAccess() && !new TreeSet<>(cidrs).equals(new TreeSet<>(vpc.publicAccessCidrs()));
        if (Boolean.TRUE.equals(vpc.endpointPublicAccess()) != eks.endpointPublicAccess()
                || Boolean.TRUE.equals(vpc.endpointPrivateAccess()) != eks.endpointPrivateAccess() || cidrsDiffer) {
            drifts.add(Drift.of("endpoint access: public " + eks.endpointPublicAccess() + " " + cidrs + ", private "
                    + eks.endpointPrivateAccess(), () -> {
                        eks().updateClusterConfig(r -> r.name(name()).resourcesVpcConfig(v -> v
                                .endpointPublicAccess(eks.endpointPublicAccess()).endpointPrivateAccess(eks.endpointPrivateAccess())
                                .publicAccessCidrs(eks.endpointPublicAccess() ? cidrs : null)));
                        awaitActive(resource, listener);
                    }));
        }
        tagDrift(aws.tags(resource.id()), current.tags(), tags -> eks().tagResource(r -> r.resourceArn(current.arn()).tags(tags)))
                .ifPresent(drifts::add);
        return drifts;
    }

    /** Where the public endpoint answers from; EKS's own default is everywhere. */
    private List<String> publicAccessCidrs() {
        List<String> cidrs = aws.platform().eks().publicAccessCidrs();
        return cidrs.isEmpty() ? List.of("0.0.0.0/0") : cidrs;
    }

    private void upgrade(Resource resource, String from, String to, ProgressListener listener) {
        Waiter waiter = waiter(resource, listener, aws.waits().cluster());
        for (int m = minor(from) + 1; m <= minor(to); m++) {
            String version = from.substring(0, from.indexOf('.') + 1) + m;
            waiter.retrying("upgraded", Set.of("ResourceInUseException"),
                    () -> eks().updateClusterVersion(r -> r.name(name()).version(version)));
            awaitActive(resource, listener);
        }
    }

    @Override
    Cluster create(Resource resource, Outputs outputs, ProgressListener listener) {
        ResourceSpec.EksCluster spec = (ResourceSpec.EksCluster) resource.spec();
        Platform.Eks eks = aws.platform().eks();
        List<String> subnets = physicalSubnets(outputs);
        String role = outputs.require(PlanBuilder.CLUSTER_ROLE, Keys.ARN);
        // A role created a moment ago may not be assumable by EKS yet: IAM is eventually consistent.
        waiter(resource, listener, aws.waits().other()).retrying("created",
                e -> AwsErrors.code(e).equals("InvalidParameterException") && String.valueOf(e.getMessage()).contains("assume"),
                () -> eks().createCluster(r -> r.name(spec.name()).version(spec.version()).roleArn(role)
                        .resourcesVpcConfig(v -> v.subnetIds(subnets).endpointPublicAccess(eks.endpointPublicAccess())
                                .endpointPrivateAccess(eks.endpointPrivateAccess())
                                .publicAccessCidrs(eks.endpointPublicAccess() ? publicAccessCidrs() : null))
                        .accessConfig(a -> a.authenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)
                                .bootstrapClusterCreatorAdminPermissions(true))
                        .tags(aws.tags(resource.id()))));
        return awaitActive(resource, listener);
    }

    Cluster awaitActive(Resource resource, ProgressListener listener) {
        return waiter(resource, listener, aws.waits().cluster()).until("ACTIVE", this::read,
                Cluster::statusAsString, "ACTIVE"::equals, s -> FAILED.contains(s) || s.equals("DELETING"),
                c -> c.health() == null ? "no health issues reported" : c.health().issues().toString());
    }

    @Override
    void remove(Resource resource, Cluster current, Outputs outputs, ProgressListener listener) {
        Waiter waiter = waiter(resource, listener, aws.waits().cluster());
        // Refused while an update or a node group deletion is still going on.
        waiter.retrying("deleted", Set.of("ResourceInUseException"), () -> eks().deleteCluster(r -> r.name(current.name())));
        waiter.untilGone(this::read, Cluster::statusAsString);
    }
}
