package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.plan.ResourceSpec.Tier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A public or private subnet, tagged for EKS's load balancers: {@code kubernetes.io/role/elb} on public subnets
 * (internet-facing), {@code kubernetes.io/role/internal-elb} on private ones. Public subnets give instances a public IP.
 */
public final class Subnets extends AwsHandler<Subnet> {

    public Subnets(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    /** The owner tags plus the ones EKS and its load balancer controller read. */
    Map<String, String> desiredTags(Resource resource) {
        Map<String, String> tags = aws.tags(resource.id());
        if (resource.spec() instanceof ResourceSpec.Subnet s) {
            tags.put(s.tier() == Tier.PUBLIC ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb", "1");
            tags.put("kubernetes.io/cluster/" + aws.platform().eks().clusterName(), "shared");
        }
        return tags;
    }

    @Override
    Optional<Subnet> find(Resource resource, Outputs outputs) {
        return single(resource, ec2().describeSubnets(r -> r.filters(Ec2Tags.owned(aws, resource.id()))).subnets(), Subnet::subnetId);
    }

    @Override
    Map<String, String> tagsOf(Subnet current) {
        return Ec2Tags.map(current.tags());
    }

    @Override
    String label(Resource resource, Subnet current) {
        return "subnet " + current.subnetId();
    }

    @Override
    void record(Resource resource, Subnet current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ID, current.subnetId());
        outputs.put(resource.id(), Keys.CIDR, current.cidrBlock());
    }

    @Override
    List<Drift> drifts(Resource resource, Subnet current, Outputs outputs, ProgressListener listener) {
        ResourceSpec.Subnet spec = (ResourceSpec.Subnet) resource.spec();
        List<Drift> drifts = new ArrayList<>();
        Optional<String> vpc = outputs.get(PlanBuilder.VPC, Keys.ID);
        if (vpc.isPresent() && !vpc.get().equals(current.vpcId())) {
            drifts.add(Drift.blocked("is in " + current.vpcId() + ", not in the platform's VPC " + vpc.get()
                    + ": delete subnet " + current.subnetId() + " by hand or run down"));
        }
        if (!current.cidrBlock().equals(spec.cidr()) || !current.availabilityZone().equals(spec.availabilityZone())) {
            drifts.add(Drift.blocked(current.cidrBlock() + " in " + current.availabilityZone() + " cannot become " + spec.cidr()
                    + " in " + spec.availabilityZone() + " in place: set the subnet back in platform.yaml, or run down and then up"));
        }
        boolean publicIps = spec.tier() == Tier.PUBLIC;
        if (Boolean.TRUE.equals(current.mapPublicIpOnLaunch()) != publicIps) {
            drifts.add(Drift.of("public IPs on launch: turn " + (publicIps ? "on" : "off"), () -> ec2().modifySubnetAttribute(r -> r
                    .subnetId(current.subnetId()).mapPublicIpOnLaunch(AttributeBooleanValue.builder().value(publicIps).build()))));
        }
        tagDrift(desiredTags(resource), tagsOf(current), tags -> Ec2Tags.set(ec2(), current.subnetId(), tags)).ifPresent(drifts::add);
        return drifts;
    }

    @Override
    Subnet create(Resource resource, Outputs outputs, ProgressListener listener) {
        ResourceSpec.Subnet spec = (ResourceSpec.Subnet) resource.spec();
        String vpc = outputs.require(PlanBuilder.VPC, Keys.ID);
        return ec2().createSubnet(r -> r.vpcId(vpc).cidrBlock(spec.cidr()).availabilityZone(spec.availabilityZone())
                .tagSpecifications(Ec2Tags.onCreate(ResourceType.SUBNET, desiredTags(resource)))).subnet();
    }

    @Override
    void remove(Resource resource, Subnet current, Outputs outputs, ProgressListener listener) {
        waiter(resource, listener, aws.waits().other()).retrying("deleted", Set.of("DependencyViolation"),
                () -> ec2().deleteSubnet(r -> r.subnetId(current.subnetId())));
    }
}
