package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;
import software.amazon.awssdk.services.ec2.model.VpcState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The VPC, with DNS support and DNS host names on (EKS and the interface endpoints' private DNS need both). */
public final class Vpcs extends AwsHandler<Vpcs.Current> {

    record Current(Vpc vpc, boolean dnsSupport, boolean dnsHostnames) {
    }

    public Vpcs(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    @Override
    Optional<Current> find(Resource resource, Outputs outputs) {
        List<Vpc> found = ec2().describeVpcs(r -> r.filters(Ec2Tags.owned(aws, resource.id()))).vpcs();
        return single(resource, found, Vpc::vpcId).map(vpc -> new Current(vpc,
                ec2().describeVpcAttribute(r -> r.vpcId(vpc.vpcId()).attribute(VpcAttributeName.ENABLE_DNS_SUPPORT))
                        .enableDnsSupport().value(),
                ec2().describeVpcAttribute(r -> r.vpcId(vpc.vpcId()).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES))
                        .enableDnsHostnames().value()));
    }

    @Override
    Map<String, String> tagsOf(Current current) {
        return Ec2Tags.map(current.vpc().tags());
    }

    @Override
    String label(Resource resource, Current current) {
        return "VPC " + current.vpc().vpcId();
    }

    @Override
    void record(Resource resource, Current current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ID, current.vpc().vpcId());
        outputs.put(resource.id(), Keys.CIDR, current.vpc().cidrBlock());
    }

    @Override
    List<Drift> drifts(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        ResourceSpec.Vpc spec = (ResourceSpec.Vpc) resource.spec();
        Vpc vpc = current.vpc();
        List<Drift> drifts = new ArrayList<>();
        if (!vpc.cidrBlock().equals(spec.cidr())) {
            drifts.add(Drift.blocked("CIDR is " + vpc.cidrBlock() + ", platform.yaml says " + spec.cidr()
                    + ", and AWS cannot change a VPC's CIDR: set network.vpcCidr back to " + vpc.cidrBlock()
                    + ", or run down and then up"));
        }
        if (vpc.state() == VpcState.PENDING) {
            drifts.add(Drift.of("pending: wait until available", () -> awaitAvailable(resource, vpc.vpcId(), listener)));
        }
        if (!current.dnsSupport()) {
            drifts.add(Drift.of("DNS support: turn on", () -> ec2().modifyVpcAttribute(r -> r.vpcId(vpc.vpcId())
                    .enableDnsSupport(AttributeBooleanValue.builder().value(true).build()))));
        }
        if (!current.dnsHostnames()) {
            drifts.add(Drift.of("DNS host names: turn on", () -> ec2().modifyVpcAttribute(r -> r.vpcId(vpc.vpcId())
                    .enableDnsHostnames(AttributeBooleanValue.builder().value(true).build()))));
        }
        tagDrift(aws.tags(resource.id()), tagsOf(current), tags -> Ec2Tags.set(ec2(), vpc.vpcId(), tags)).ifPresent(drifts::add);
        return drifts;
    }

    @Override
    Current create(Resource resource, Outputs outputs, ProgressListener listener) {
        ResourceSpec.Vpc spec = (ResourceSpec.Vpc) resource.spec();
        Vpc vpc = ec2().createVpc(r -> r.cidrBlock(spec.cidr())
                .tagSpecifications(Ec2Tags.onCreate(ResourceType.VPC, aws.tags(resource.id())))).vpc();
        // A new VPC has DNS support and no DNS host names, as AWS makes every VPC but the default one.
        return new Current(vpc.state() == VpcState.AVAILABLE ? vpc : awaitAvailable(resource, vpc.vpcId(), listener), true, false);
    }

    private Vpc awaitAvailable(Resource resource, String vpcId, ProgressListener listener) {
        return waiter(resource, listener, aws.waits().other()).until("available",
                () -> ec2().describeVpcs(r -> r.vpcIds(vpcId)).vpcs().stream().findFirst(),
                v -> v.stateAsString(), s -> s.equals("available"), s -> false, v -> "");
    }

    @Override
    void remove(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        waiter(resource, listener, aws.waits().other()).retrying("deleted", Set.of("DependencyViolation"),
                () -> ec2().deleteVpc(r -> r.vpcId(current.vpc().vpcId())));
    }
}
