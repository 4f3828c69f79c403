package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsSettings;
import io.logexaminer.config.Platform;
import io.logexaminer.testing.MotoServer;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What the up and down tests share: platform files, SDK clients that look at moto directly, and counts of what it holds. */
final class Fixtures {
    private Fixtures() {
    }

    static String platformFile(String yaml) {
        try {
            Path file = Files.createTempFile("platform-", ".yaml");
            Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clients that talk to moto directly, past the proxy, to see what AWS holds. */
    static AwsClients clients(MotoServer moto) {
        return new AwsClients(new AwsSettings("eu-west-1", Optional.empty(), moto.environment()));
    }

    /**
     * EC2 resources that exist and carry {@code platform}'s owner tag, counted by logical id. Each type is described with
     * its own call: moto keeps the tags of deleted resources in DescribeTags, and ignores tag filters on NAT gateways.
     */
    static Map<String, Integer> ownedEc2(AwsClients aws, String platform) {
        Filter owner = Filter.builder().name("tag:" + Platform.OWNER_TAG).values(platform).build();
        List<List<Tag>> tagSets = new ArrayList<>();
        aws.ec2().describeVpcs(r -> r.filters(owner)).vpcs().forEach(x -> tagSets.add(x.tags()));
        aws.ec2().describeSubnets(r -> r.filters(owner)).subnets().forEach(x -> tagSets.add(x.tags()));
        aws.ec2().describeInternetGateways(r -> r.filters(owner)).internetGateways().forEach(x -> tagSets.add(x.tags()));
        aws.ec2().describeRouteTables(r -> r.filters(owner)).routeTables().forEach(x -> tagSets.add(x.tags()));
        aws.ec2().describeSecurityGroups(r -> r.filters(owner)).securityGroups().forEach(x -> tagSets.add(x.tags()));
        aws.ec2().describeAddresses(r -> r.filters(owner)).addresses().forEach(x -> tagSets.add(x.tags()));
        aws.ec2().describeVpcEndpoints(r -> r.filters(owner)).vpcEndpoints().stream()
                .filter(e -> !e.stateAsString().equalsIgnoreCase("deleted")).forEach(x -> tagSets.add(x.tags()));
        aws.ec2().describeNatGateways(r -> { }).natGateways().stream().filter(n -> !n.stateAsString().startsWith("delet"))
                .forEach(x -> tagSets.add(x.tags()));
        Map<String, Integer> byLogicalId = new TreeMap<>();
        for (List<Tag> tags : tagSets) {
            Map<String, String> m = new HashMap<>();
            tags.forEach(t -> m.put(t.key(), t.value()));
            if (platform.equals(m.get(Platform.OWNER_TAG))) {
                byLogicalId.merge(m.get(Platform.LOGICAL_ID_TAG), 1, Integer::sum);
            }
        }
        return byLogicalId;
    }
}
