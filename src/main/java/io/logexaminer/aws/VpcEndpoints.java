package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.plan.ResourceSpec.Tier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroupIdentifier;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A VPC endpoint: S3 as a gateway on the private route tables; Secrets Manager, ECR and STS as interfaces in the
 * private subnets with private DNS, behind the endpoints' security group.
 */
public final class VpcEndpoints extends AwsHandler<VpcEndpoint> {
    private static final Set<String> GONE = Set.of("deleting", "deleted", "rejected", "failed", "expired");

    public VpcEndpoints(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    @Override
    Optional<VpcEndpoint> find(Resource resource, Outputs outputs) {
        List<VpcEndpoint> found = ec2().describeVpcEndpoints(r -> r.filters(Ec2Tags.owned(aws, resource.id()))).vpcEndpoints()
                .stream().filter(e -> !GONE.contains(e.stateAsString().toLowerCase())).toList();
        return single(resource, found, VpcEndpoint::vpcEndpointId);
    }

    @Override
    Map<String, String> tagsOf(VpcEndpoint current) {
        return Ec2Tags.map(current.tags());
    }

    @Override
    String label(Resource resource, VpcEndpoint current) {
        return "VPC endpoint " + current.vpcEndpointId();
    }

    @Override
    void record(Resource resource, VpcEndpoint current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ID, current.vpcEndpointId());
    }

    private List<String> zones() {
        return aws.platform().network().availabilityZones();
    }

    /** Resource ids of what the endpoint attaches to: route tables for the gateway, subnets for an interface. */
    private List<String> attachedTo(Platform.VpcEndpoint endpoint) {
        return endpoint.gateway()
                ? zones().stream().map(z -> PlanBuilder.routeTableId(Tier.PRIVATE, z)).toList()
                : zones().stream().map(z -> PlanBuilder.subnetId(Tier.PRIVATE, z)).toList();
    }

    private static Optional<Set<String>> physical(List<String> resourceIds, Outputs outputs) {
        Set<String> ids = new TreeSet<>();
        for (String id : resourceIds) {
            Optional<String> physical = outputs.get(id, Keys.ID);
            if (physical.isEmpty()) {
                return Optional.empty();
            }
            ids.add(physical.get());
        }
        return Optional.of(ids);
    }

    @Override
    List<Drift> drifts(Resource resource, VpcEndpoint current, Outputs outputs, ProgressListener listener) {
        Platform.VpcEndpoint endpoint = ((ResourceSpec.VpcEndpoint) resource.spec()).endpoint();
        String id = current.vpcEndpointId();
        List<Drift> drifts = new ArrayList<>();
        if (!current.serviceName().equals(endpoint.serviceName(aws.region()))) {
            drifts.add(Drift.blocked("serves " + current.serviceName() + ": delete VPC endpoint " + id + " by hand, then run up"));
        }
        if (current.stateAsString().equalsIgnoreCase("pending")) {
            drifts.add(Drift.of("pending: wait until available", () -> awaitAvailable(resource, id, listener)));
        }
        List<String> attachTo = attachedTo(endpoint);
        Set<String> actual = new TreeSet<>(endpoint.gateway() ? current.routeTableIds() : current.subnetIds());
        Optional<Set<String>> desired = physical(attachTo, outputs);
        String what = endpoint.gateway() ? "route tables" : "subnets";
        if (desired.isEmpty() || !desired.get().equals(actual)) {
            drifts.add(Drift.of(what + ": " + String.join(", ", attachTo) + desired.map(d -> " " + d).orElse(" (being created)"),
                    () -> {
                        Set<String> want = physical(attachTo, outputs).orElseThrow();
                        List<String> add = want.stream().filter(x -> !actual.contains(x)).toList();
                        List<String> remove = actual.stream().filter(x -> !want.contains(x)).toList();
                        ModifyVpcEndpointRequest.Builder m = ModifyVpcEndpointRequest.builder().vpcEndpointId(id);
                        if (endpoint.gateway()) {
                            m.addRouteTableIds(add).removeRouteTableIds(remove);
                        } else {
                            m.addSubnetIds(add).removeSubnetIds(remove);
                        }
                        ec2().modifyVpcEndpoint(m.build());
                    }));
        }
        if (!endpoint.gateway()) {
            Set<String> groups = new TreeSet<>(current.groups().stream().map(SecurityGroupIdentifier::groupId).toList());
            Optional<String> group = outputs.get(PlanBuilder.ENDPOINT_SECURITY_GROUP, Keys.ID);
            if (group.isEmpty() || !groups.equals(Set.of(group.get()))) {
                drifts.add(Drift.of("security groups: " + PlanBuilder.ENDPOINT_SECURITY_GROUP, () -> {
                    String want = outputs.require(PlanBuilder.ENDPOINT_SECURITY_GROUP, Keys.ID);
                    ec2().modifyVpcEndpoint(m -> m.vpcEndpointId(id)
                            .addSecurityGroupIds(groups.contains(want) ? List.of() : List.of(want))
                            .removeSecurityGroupIds(groups.stream().filter(g -> !g.equals(want)).toList()));
                }));
            }
            if (!Boolean.TRUE.equals(current.privateDnsEnabled())) {
                drifts.add(Drift.of("private DNS: turn on", () -> ec2().modifyVpcEndpoint(m -> m.vpcEndpointId(id).privateDnsEnabled(true))));
            }
        }
        tagDrift(aws.tags(resource.id()), tagsOf(current), tags -> Ec2Tags.set(ec2(), id, tags)).ifPresent(drifts::add);
        return drifts;
    }

    @Override
    VpcEndpoint create(Resource resource, Outputs outputs, ProgressListener listener) {
        Platform.VpcEndpoint endpoint = ((ResourceSpec.VpcEndpoint) resource.spec()).endpoint();
        List<String> attachTo = List.copyOf(physical(attachedTo(endpoint), outputs).orElseThrow(
                () -> new IllegalStateException(resource.id() + ": what it attaches to is not created yet")));
        VpcEndpoint created = ec2().createVpcEndpoint(r -> {
            r.vpcId(outputs.require(PlanBuilder.VPC, Keys.ID)).serviceName(endpoint.serviceName(aws.region()))
                    .tagSpecifications(Ec2Tags.onCreate(ResourceType.VPC_ENDPOINT, aws.tags(resource.id())));
            if (endpoint.gateway()) {
                r.vpcEndpointType(VpcEndpointType.GATEWAY).routeTableIds(attachTo);
            } else {
                r.vpcEndpointType(VpcEndpointType.INTERFACE).subnetIds(attachTo).privateDnsEnabled(true)
                        .securityGroupIds(outputs.require(PlanBuilder.ENDPOINT_SECURITY_GROUP, Keys.ID));
            }
        }).vpcEndpoint();
        return awaitAvailable(resource, created.vpcEndpointId(), listener);
    }

    private VpcEndpoint awaitAvailable(Resource resource, String id, ProgressListener listener) {
        return waiter(resource, listener, aws.waits().other()).until("available", () -> read(id),
                e -> e.stateAsString().toLowerCase(), "available"::equals, GONE::contains, e -> "AWS gave no reason");
    }

    @Override
    void remove(Resource resource, VpcEndpoint current, Outputs outputs, ProgressListener listener) {
        ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(current.vpcEndpointId()));
        waiter(resource, listener, aws.waits().other()).untilGone(
                () -> read(current.vpcEndpointId()).filter(e -> !e.stateAsString().equalsIgnoreCase("deleted")),
                e -> e.stateAsString().toLowerCase());
    }

    private Optional<VpcEndpoint> read(String id) {
        try {
            return ec2().describeVpcEndpoints(r -> r.vpcEndpointIds(id)).vpcEndpoints().stream().findFirst();
        } catch (Ec2Exception e) {
            if (AwsErrors.code(e).startsWith("InvalidVpcEndpointId")) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
