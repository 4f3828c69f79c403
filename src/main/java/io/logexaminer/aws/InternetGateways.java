package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The internet gateway, attached to the platform's VPC. */
public final class InternetGateways extends AwsHandler<InternetGateway> {

    public InternetGateways(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    @Override
    Optional<InternetGateway> find(Resource resource, Outputs outputs) {
        return single(resource, ec2().describeInternetGateways(r -> r.filters(Ec2Tags.owned(aws, resource.id()))).internetGateways(),
                InternetGateway::internetGatewayId);
    }

    @Override
    Map<String, String> tagsOf(InternetGateway current) {
        return Ec2Tags.map(current.tags());
    }

    @Override
    String label(Resource resource, InternetGateway current) {
        return "internet gateway " + current.internetGatewayId();
    }

    @Override
    void record(Resource resource, InternetGateway current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ID, current.internetGatewayId());
    }

    @Override
    List<Drift> drifts(Resource resource, InternetGateway current, Outputs outputs, ProgressListener listener) {
        List<Drift> drifts = new ArrayList<>();
        Optional<String> vpc = outputs.get(PlanBuilder.VPC, Keys.ID);
        List<String> attached = current.attachments().stream().map(InternetGatewayAttachment::vpcId).toList();
        if (vpc.isEmpty() || !attached.contains(vpc.get())) {
            if (attached.isEmpty()) {
                drifts.add(Drift.of("attach to the VPC", () -> ec2().attachInternetGateway(r -> r
                        .internetGatewayId(current.internetGatewayId()).vpcId(outputs.require(PlanBuilder.VPC, Keys.ID)))));
            } else {
                drifts.add(Drift.blocked("is attached to " + String.join(", ", attached) + ", not to the platform's VPC: detach it by hand"));
            }
        }
        tagDrift(aws.tags(resource.id()), tagsOf(current), tags -> Ec2Tags.set(ec2(), current.internetGatewayId(), tags))
                .ifPresent(drifts::add);
        return drifts;
    }

    @Override
    InternetGateway create(Resource resource, Outputs outputs, ProgressListener listener) {
        return ec2().createInternetGateway(r -> r.tagSpecifications(Ec2Tags.onCreate(ResourceType.INTERNET_GATEWAY,
                aws.tags(resource.id())))).internetGateway();
    }

    @Override
    void remove(Resource resource, InternetGateway current, Outputs outputs, ProgressListener listener) {
        Waiter waiter = waiter(resource, listener, aws.waits().other());
        for (InternetGatewayAttachment a : current.attachments()) {
            // Detaching fails while public addresses (NAT gateways, load balancers) are still mapped in the VPC.
            waiter.retrying("detached", Set.of("DependencyViolation"),
                    () -> ec2().detachInternetGateway(r -> r.internetGatewayId(current.internetGatewayId()).vpcId(a.vpcId())));
        }
        ec2().deleteInternetGateway(r -> r.internetGatewayId(current.internetGatewayId()));
    }
}
