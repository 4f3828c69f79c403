package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.AllocateAddressResponse;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Elastic IP of a NAT gateway. */
public final class ElasticIps extends AwsHandler<Address> {

    public ElasticIps(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    @Override
    Optional<Address> find(Resource resource, Outputs outputs) {
        return single(resource, ec2().describeAddresses(r -> r.filters(Ec2Tags.owned(aws, resource.id()))).addresses(),
                Address::allocationId);
    }

    @Override
    Map<String, String> tagsOf(Address current) {
        return Ec2Tags.map(current.tags());
    }

    @Override
    String label(Resource resource, Address current) {
        return "Elastic IP " + current.publicIp();
    }

    @Override
    void record(Resource resource, Address current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ID, current.allocationId());
    }

    @Override
    List<Drift> drifts(Resource resource, Address current, Outputs outputs, ProgressListener listener) {
        List<Drift> drifts = new ArrayList<>();
        tagDrift(aws.tags(resource.id()), tagsOf(current), tags -> Ec2Tags.set(ec2(), current.allocationId(), tags)).ifPresent(drifts::add);
        return drifts;
    }

    @Override
    Address create(Resource resource, Outputs outputs, ProgressListener listener) {
        Map<String, String> tags = aws.tags(resource.id());
        AllocateAddressResponse created = ec2().allocateAddress(r -> r.domain(DomainType.VPC)
                .tagSpecifications(Ec2Tags.onCreate(ResourceType.ELASTIC_IP, tags)));
        return Address.builder().allocationId(created.allocationId()).publicIp(created.publicIp()).domain(DomainType.VPC)
                .tags(Ec2Tags.list(tags)).build();
    }

    @Override
    void remove(Resource resource, Address current, Outputs outputs, ProgressListener listener) {
        // Released only once the NAT gateway that used it is gone; until then AWS answers InvalidIPAddress.InUse.
        waiter(resource, listener, aws.waits().other()).retrying("released",
                Set.of("InvalidIPAddress.InUse", "DependencyViolation"),
                () -> ec2().releaseAddress(r -> r.allocationId(current.allocationId())));
    }
}
