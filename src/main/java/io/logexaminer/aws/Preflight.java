package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.LocationType;
import software.amazon.awssdk.services.ec2.model.Region;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks {@code up} makes before it writes anything, each problem said as what to change: the region is enabled,
 * the availability zones exist in it, and every node group's instance types are offered in every zone. (The EKS
 * version is checked against the supported versions when platform.yaml is loaded.)
 */
public final class Preflight {
    private final AwsClients clients;
    private final Platform platform;

    public Preflight(AwsClients clients, Platform platform) {
        this.clients = clients;
        this.platform = platform;
    }

    /** The problems found, empty when {@code up} can go ahead. */
    public List<String> problems() {
        try {
            return check();
        } catch (SdkException e) {
            return List.of("cannot check region " + platform.region() + " (" + OperationNames.last().orElse("ec2")
                    + "): " + AwsErrors.describe(e));
        }
    }

    private List<String> check() {
        Ec2Client ec2 = clients.ec2();
        List<String> problems = new ArrayList<>();
        Set<String> regions = new TreeSet<>(ec2.describeRegions(r -> { }).regions().stream().map(Region::regionName).toList());
        if (!regions.contains(platform.region())) {
            return List.of("region: " + platform.region() + " is not enabled for this account or does not exist (enabled: "
                    + String.join(", ", regions) + ")");
        }
        Set<String> zones = new TreeSet<>(ec2.describeAvailabilityZones(r -> { }).availabilityZones().stream()
                .filter(z -> "available".equals(z.stateAsString())).map(AvailabilityZone::zoneName).toList());
        List<String> wanted = platform.network().availabilityZones();
        for (String zone : wanted) {
            if (!zones.contains(zone)) {
                problems.add("network.availabilityZones: " + zone + " is not an available zone of " + platform.region()
                        + " (available: " + String.join(", ", zones) + ")");
            }
        }
        List<String> types = platform.eks().nodeGroups().stream().flatMap(g -> g.instanceTypes().stream()).distinct().toList();
        if (types.isEmpty() || !problems.isEmpty()) {
            return problems;
        }
        Set<String> offered = new HashSet<>();
        ec2.describeInstanceTypeOfferingsPaginator(r -> r.locationType(LocationType.AVAILABILITY_ZONE)
                        .filters(Ec2Tags.filter("instance-type", types.toArray(String[]::new)),
                                Ec2Tags.filter("location", wanted.toArray(String[]::new))))
                .instanceTypeOfferings().forEach(o -> offered.add(o.instanceTypeAsString() + "@" + o.location()));
        List<Platform.NodeGroup> groups = platform.eks().nodeGroups();
        for (int i = 0; i < groups.size(); i++) {
            for (String type : groups.get(i).instanceTypes()) {
                List<String> missing = wanted.stream().filter(z -> !offered.contains(type + "@" + z)).toList();
                if (!missing.isEmpty()) {
                    problems.add("eks.nodeGroups[" + i + "].instanceTypes: " + type + " is not offered in " + String.join(", ", missing)
                            + ": choose another instance type or other availability zones");
                }
            }
        }
        return problems;
    }
}
