package io.logexaminer.plan;

import io.logexaminer.config.PlatformLoader;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeardownTest {
    private static final ResourceGraph GRAPH = PlanBuilder.build(
            PlatformLoader.parse("p.yaml", "name: demo\nregion: eu-west-1\n", Optional.empty()).platform());

    /** One leftover of every type a leftover can have. */
    private static Map<String, String> everyKindOfLeftover() {
        Map<String, String> leftovers = new LinkedHashMap<>();
        leftovers.put("eks-addon/metrics-server", ResourceSpec.EksAddon.TYPE);
        leftovers.put("eks-nodegroup/old", ResourceSpec.NodeGroup.TYPE);
        leftovers.put("iam-role/irsa/old", ResourceSpec.IamRole.TYPE);
        leftovers.put("vpc-endpoint/ssm", ResourceSpec.VpcEndpoint.TYPE);
        leftovers.put("nat-gateway/eu-west-1c", ResourceSpec.NatGateway.TYPE);
        leftovers.put("elastic-ip/nat/eu-west-1c", ResourceSpec.ElasticIp.TYPE);
        leftovers.put("security-group/old", ResourceSpec.SecurityGroup.TYPE);
        leftovers.put("route-table/private/eu-west-1c", ResourceSpec.RouteTable.TYPE);
        leftovers.put("internet-gateway/old", ResourceSpec.InternetGateway.TYPE);
        leftovers.put("subnet/private/eu-west-1c", ResourceSpec.Subnet.TYPE);
        return leftovers;
    }

    private static int at(ResourceGraph g, String id) {
        List<String> ids = g.order().stream().map(Resource::id).toList();
        assertTrue(ids.contains(id), id);
        return ids.indexOf(id);
    }

    @Test
    void downDeletesDependentsFirstAndWhatEksLeftBetweenTheClusterAndTheNetwork() {
        ResourceGraph down = Teardown.down(GRAPH, "demo", Map.of());
        assertTrue(at(down, "eks-addon/coredns") < at(down, "eks-nodegroup/system"));
        assertTrue(at(down, "eks-nodegroup/system") < at(down, "eks-cluster"));
        assertTrue(at(down, "eks-cluster") < at(down, Teardown.CLUSTER_LEFTOVERS));
        for (String network : List.of("subnet/private/eu-west-1a", "subnet/public/eu-west-1b", "internet-gateway",
                "security-group/vpc-endpoints", "vpc")) {
            assertTrue(at(down, Teardown.CLUSTER_LEFTOVERS) < at(down, network), network);
        }
        assertTrue(at(down, "rds-instance") < at(down, "security-group/database"));
        assertTrue(at(down, "nat-gateway/eu-west-1a") < at(down, "elastic-ip/nat/eu-west-1a"));
        assertEquals(GRAPH.size() + 1, down.size());
    }

    @Test
    void leftoversOfEveryKindFindAPlaceInDown() {
        ResourceGraph down = Teardown.down(GRAPH, "demo", everyKindOfLeftover());
        assertTrue(at(down, "eks-nodegroup/old") < at(down, "eks-cluster"));
        assertTrue(at(down, "eks-addon/metrics-server") < at(down, "eks-nodegroup/old"));
        assertTrue(at(down, "iam-role/irsa/old") < at(down, "iam-oidc-provider"));
        assertTrue(at(down, "vpc-endpoint/ssm") < at(down, "security-group/vpc-endpoints"));
        assertTrue(at(down, "nat-gateway/eu-west-1c") < at(down, "elastic-ip/nat/eu-west-1c"));
        assertTrue(at(down, "nat-gateway/eu-west-1c") < at(down, "internet-gateway"));
        assertTrue(at(down, "eks-cluster") < at(down, "subnet/private/eu-west-1c"));
        assertTrue(at(down, "route-table/private/eu-west-1c") < at(down, "subnet/private/eu-west-1c"));
        for (String leftover : everyKindOfLeftover().keySet()) {
            assertTrue(at(down, leftover) < at(down, "vpc") || leftover.startsWith("eks-") || leftover.startsWith("iam-"), leftover);
        }
    }

    @Test
    void upDeletesLeftoversOnlyOnceEverythingElseIsDone() {
        ResourceGraph up = Teardown.up(GRAPH, everyKindOfLeftover());
        int lastOfThePlatform = GRAPH.order().stream().mapToInt(r -> at(up, r.id())).max().orElseThrow();
        for (String leftover : everyKindOfLeftover().keySet()) {
            assertTrue(at(up, leftover) > lastOfThePlatform, leftover);
        }
        assertTrue(at(up, "nat-gateway/eu-west-1c") < at(up, "elastic-ip/nat/eu-west-1c"));
        assertTrue(at(up, "route-table/private/eu-west-1c") < at(up, "subnet/private/eu-west-1c"));
        assertFalse(Teardown.deletable(ResourceSpec.S3Bucket.TYPE), "a bucket is never deleted for having left platform.yaml");
    }

    @Test
    void aSubgraphKeepsOnlyWhatCanRunAlone() {
        ResourceGraph aws = GRAPH.subgraph(r -> r.type().startsWith("aws:") && !r.type().equals(ResourceSpec.EcrRepository.TYPE));
        assertTrue(aws.get("eks-cluster").isPresent());
        assertTrue(aws.get("image/data-platform/spark:3.5.1").isEmpty());
        ResourceGraph withoutVpc = GRAPH.subgraph(r -> !r.id().equals("vpc"));
        assertTrue(withoutVpc.get("subnet/public/eu-west-1a").isEmpty(), "what depends on a dropped resource goes too");
        assertTrue(withoutVpc.get("s3-bucket/raw").isPresent());
    }
}
