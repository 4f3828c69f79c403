package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddress;
import software.amazon.awssdk.services.ec2.model.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A NAT gateway in a public subnet with its Elastic IP. Deleted and failed ones are history, not resources. */
public final class NatGateways extends AwsHandler<NatGateway> {
    private static final Set<String> LIVE = Set.of("pending", "available");

    public NatGateways(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    @Override
    Optional<NatGateway> find(Resource resource, Outputs outputs) {
        // The tags are checked again here because not every EC2 implementation honours tag filters on NAT gateways.
        List<NatGateway> found = ec2().describeNatGateways(r -> r.filter(Ec2Tags.owned(aws, resource.id()))).natGateways().stream()
                .filter(n -> LIVE.contains(n.stateAsString()) && Ec2Tags.carries(aws, resource.id(), Ec2Tags.map(n.tags()))).toList();
        return single(resource, found, NatGateway::natGatewayId);
    }

    @Override
    Map<String, String> tagsOf(NatGateway current) {
        return Ec2Tags.map(current.tags());
    }

    @Override
    String label(Resource resource, NatGateway current) {
        return "NAT gateway " + current.natGatewayId();
    }

    @Override
    void record(Resource resource, NatGateway current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ID, current.natGatewayId());
    }

    @Override
    List<Drift> drifts(Resource resource, NatGateway current, Outputs outputs, ProgressListener listener) {
        ResourceSpec.NatGateway spec = (ResourceSpec.NatGateway) resource.spec();
        List<Drift> drifts = new ArrayList<>();
        Optional<String> subnet = outputs.get(spec.subnetId(), Keys.ID);
        Optional<String> allocation = outputs.get(spec.elasticIpId(), Keys.ID);
        List<String> allocations = current.natGatewayAddresses().stream().map(NatGatewayAddress::allocationId).toList();
        if (subnet.isPresent() && !subnet.get().equals(current.subnetId())
                || allocation.isPresent() && !allocations.contains(allocation.get())) {
            drifts.add(Drift.blocked("is not in " + spec.subnetId() + " with " + spec.elasticIpId()
                    + ": delete NAT gateway " + current.natGatewayId() + " by hand, then run up"));
        }
        if (current.stateAsString().equals("pending")) {
            drifts.add(Drift.of("pending: wait until available", () -> awaitAvailable(resource, current.natGatewayId(), listener)));
        }
        tagDrift(aws.tags(resource.id()), tagsOf(current), tags -> Ec2Tags.set(ec2(), current.natGatewayId(), tags)).ifPresent(drifts::add);
        return drifts;
    }

    @Override
    NatGateway create(Resource resource, Outputs outputs, ProgressListener listener) {
        ResourceSpec.NatGateway spec = (ResourceSpec.NatGateway) resource.spec();
        NatGateway created = ec2().createNatGateway(r -> r.subnetId(outputs.require(spec.subnetId(), Keys.ID))
                .allocationId(outputs.require(spec.elasticIpId(), Keys.ID))
                .tagSpecifications(Ec2Tags.onCreate(ResourceType.NATGATEWAY, aws.tags(resource.id())))).natGateway();
        return awaitAvailable(resource, created.natGatewayId(), listener);
    }

    private Optional<NatGateway> read(String id) {
        return ec2().describeNatGateways(r -> r.natGatewayIds(id)).natGateways().stream().findFirst();
    }

    private NatGateway awaitAvailable(Resource resource, String id, ProgressListener listener) {
        return waiter(resource, listener, aws.waits().natGateway()).until("available", () -> read(id),
                NatGateway::stateAsString, "available"::equals, s -> s.equals("failed") || s.startsWith("delet"),
                n -> n.failureMessage() == null ? "no reason given" : n.failureMessage());
    }

    @Override
    void remove(Resource resource, NatGateway current, Outputs outputs, ProgressListener listener) {
        ec2().deleteNatGateway(r -> r.natGatewayId(current.natGatewayId()));
        waiter(resource, listener, aws.waits().natGateway()).untilGone(
                () -> read(current.natGatewayId()).filter(n -> !n.stateAsString().equals("deleted")), NatGateway::stateAsString);
    }
}
