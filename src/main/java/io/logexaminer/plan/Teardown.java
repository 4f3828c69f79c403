package io.logexaminer.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The orders in which resources are deleted: everything by {@code down}, and by {@code up} the leftovers, resources
 * the platform owns that platform.yaml no longer describes. A leftover has no place in the graph, so its place comes
 * from its type: which types must be gone before it can go, and which wait for it.
 */
public final class Teardown {
    /** The id of what EKS left in the VPC, deleted by {@code down} between the cluster and the network. */
    public static final String CLUSTER_LEFTOVERS = "eks-leftovers";

    /** For each type a leftover can have: the types deleted before it. */
    private static final Map<String, List<String>> AFTER = Map.ofEntries(
            Map.entry(ResourceSpec.EksAddon.TYPE, List.of()),
            Map.entry(ResourceSpec.NodeGroup.TYPE, List.of(ResourceSpec.EksAddon.TYPE)),
            Map.entry(ResourceSpec.IamRole.TYPE, List.of(ResourceSpec.EksAddon.TYPE)),
            Map.entry(ResourceSpec.VpcEndpoint.TYPE, List.of()),
            Map.entry(ResourceSpec.NatGateway.TYPE, List.of()),
            Map.entry(ResourceSpec.ElasticIp.TYPE, List.of(ResourceSpec.NatGateway.TYPE)),
            Map.entry(ResourceSpec.SecurityGroup.TYPE, List.of(ResourceSpec.VpcEndpoint.TYPE, ResourceSpec.DbInstance.TYPE,
                    ResourceSpec.NodeGroup.TYPE, ResourceSpec.ClusterLeftovers.TYPE)),
            Map.entry(ResourceSpec.RouteTable.TYPE, List.of(ResourceSpec.VpcEndpoint.TYPE)),
            Map.entry(ResourceSpec.InternetGateway.TYPE, List.of(ResourceSpec.NatGateway.TYPE, ResourceSpec.ClusterLeftovers.TYPE)),
            Map.entry(ResourceSpec.Subnet.TYPE, List.of(ResourceSpec.NodeGroup.TYPE, ResourceSpec.EksCluster.TYPE,
                    ResourceSpec.VpcEndpoint.TYPE, ResourceSpec.NatGateway.TYPE, ResourceSpec.DbInstance.TYPE,
                    ResourceSpec.DbSubnetGroup.TYPE, ResourceSpec.ClusterLeftovers.TYPE, ResourceSpec.RouteTable.TYPE)));

    /** For each type a leftover can have: the types deleted after it. */
    private static final Map<String, List<String>> BEFORE = Map.ofEntries(
            Map.entry(ResourceSpec.EksAddon.TYPE, List.of(ResourceSpec.EksCluster.TYPE)),
            Map.entry(ResourceSpec.NodeGroup.TYPE, List.of(ResourceSpec.EksCluster.TYPE, ResourceSpec.ClusterLeftovers.TYPE,
                    ResourceSpec.Subnet.TYPE)),
            Map.entry(ResourceSpec.IamRole.TYPE, List.of(ResourceSpec.OidcProvider.TYPE)),
            Map.entry(ResourceSpec.VpcEndpoint.TYPE, List.of(ResourceSpec.SecurityGroup.TYPE, ResourceSpec.Subnet.TYPE,
                    ResourceSpec.RouteTable.TYPE, ResourceSpec.Vpc.TYPE)),
            Map.entry(ResourceSpec.NatGateway.TYPE, List.of(ResourceSpec.ElasticIp.TYPE, ResourceSpec.Subnet.TYPE,
                    ResourceSpec.InternetGateway.TYPE, ResourceSpec.Vpc.TYPE)),
            Map.entry(ResourceSpec.ElasticIp.TYPE, List.of()),
            Map.entry(ResourceSpec.SecurityGroup.TYPE, List.of(ResourceSpec.Vpc.TYPE)),
            Map.entry(ResourceSpec.RouteTable.TYPE, List.of(ResourceSpec.Subnet.TYPE, ResourceSpec.Vpc.TYPE)),
            Map.entry(ResourceSpec.InternetGateway.TYPE, List.of(ResourceSpec.Vpc.TYPE)),
            Map.entry(ResourceSpec.Subnet.TYPE, List.of(ResourceSpec.Vpc.TYPE)));

    private Teardown() {
    }

    /** Whether a leftover of this type can be placed, and so deleted. */
    public static boolean deletable(String type) {
        return AFTER.containsKey(type);
    }

    /**
     * What {@code down} deletes, in order: every resource of {@code graph} after the resources that depend on it,
     * what EKS left in the VPC after the cluster and before the network, and {@code leftovers} (id to type) by type.
     */
    public static ResourceGraph down(ResourceGraph graph, String clusterName, Map<String, String> leftovers) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Resource r : graph.reversed().order()) {
            nodes.put(r.id(), new Node(r.spec(), new LinkedHashSet<>(r.dependsOn())));
        }
        if (nodes.containsKey(PlanBuilder.CLUSTER)) {
            Set<String> deps = new LinkedHashSet<>(List.of(PlanBuilder.CLUSTER));
            nodes.put(CLUSTER_LEFTOVERS, new Node(new ResourceSpec.ClusterLeftovers(clusterName), deps));
            Set<String> blocked = Set.of(ResourceSpec.Subnet.TYPE, ResourceSpec.InternetGateway.TYPE, ResourceSpec.Vpc.TYPE);
            nodes.forEach((id, n) -> {
                boolean databaseGroup = id.equals(PlanBuilder.DATABASE_SECURITY_GROUP);
                if (blocked.contains(n.spec().type()) || n.spec().type().equals(ResourceSpec.SecurityGroup.TYPE) && !databaseGroup) {
                    n.dependsOn().add(CLUSTER_LEFTOVERS);
                }
            });
        }
        place(nodes, leftovers);
        return build(nodes);
    }

    /** What {@code up} runs: {@code graph}, then the deletion of {@code leftovers} once everything else is done. */
    public static ResourceGraph up(ResourceGraph graph, Map<String, String> leftovers) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Resource r : graph.order()) {
            nodes.put(r.id(), new Node(r.spec(), new LinkedHashSet<>(r.dependsOn())));
        }
        Set<String> everything = Set.copyOf(nodes.keySet());
        Map<String, Node> leftoverNodes = new LinkedHashMap<>();
        leftovers.forEach((id, type) -> leftoverNodes.put(id, new Node(new ResourceSpec.Leftover(type), new LinkedHashSet<>(everything))));
        orderAmong(leftoverNodes);
        nodes.putAll(leftoverNodes);
        return build(nodes);
    }

    private record Node(ResourceSpec spec, Set<String> dependsOn) {
    }

    /** Places each leftover after the nodes of the types it waits for and before those that wait for it. */
    private static void place(Map<String, Node> nodes, Map<String, String> leftovers) {
        Map<String, Node> added = new LinkedHashMap<>();
        leftovers.forEach((id, type) -> added.put(id, new Node(new ResourceSpec.Leftover(type), new LinkedHashSet<>())));
        Map<String, Node> all = new LinkedHashMap<>(nodes);
        all.putAll(added);
        added.forEach((id, leftover) -> {
            String type = leftover.spec().type();
            all.forEach((otherId, other) -> {
                if (otherId.equals(id)) {
                    return;
                }
                if (AFTER.get(type).contains(other.spec().type())) {
                    leftover.dependsOn().add(otherId);
                }
                if (BEFORE.get(type).contains(other.spec().type())) {
                    other.dependsOn().add(id);
                }
            });
        });
        nodes.putAll(added);
    }

    private static void orderAmong(Map<String, Node> leftovers) {
        leftovers.forEach((id, leftover) -> leftovers.forEach((otherId, other) -> {
            if (!otherId.equals(id) && AFTER.get(leftover.spec().type()).contains(other.spec().type())) {
                leftover.dependsOn().add(otherId);
            }
        }));
    }

    private static ResourceGraph build(Map<String, Node> nodes) {
        List<Resource> resources = new ArrayList<>();
        nodes.forEach((id, n) -> resources.add(new Resource(id, List.copyOf(n.dependsOn()), n.spec())));
        return ResourceGraph.of(resources);
    }
}
