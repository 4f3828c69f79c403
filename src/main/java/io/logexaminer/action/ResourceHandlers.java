package io.logexaminer.action;

import io.logexaminer.aws.AwsPlatform;
import io.logexaminer.aws.Buckets;
import io.logexaminer.aws.ClusterLeftovers;
import io.logexaminer.aws.DatabaseSecrets;
import io.logexaminer.aws.DbInstances;
import io.logexaminer.aws.DbSubnetGroups;
import io.logexaminer.aws.EcrRepositoryHandler;
import io.logexaminer.aws.EksAddons;
import io.logexaminer.aws.EksClusters;
import io.logexaminer.aws.ElasticIps;
import io.logexaminer.aws.IamRoles;
import io.logexaminer.aws.InternetGateways;
import io.logexaminer.aws.NatGateways;
import io.logexaminer.aws.NodeGroups;
import io.logexaminer.aws.OidcProviders;
import io.logexaminer.aws.RouteTables;
import io.logexaminer.aws.SecurityGroups;
import io.logexaminer.aws.Subnets;
import io.logexaminer.aws.VpcEndpoints;
import io.logexaminer.aws.Vpcs;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceHandler;
import io.logexaminer.plan.ResourceSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which handler observes, applies and deletes each resource type: the one place where the adapters plug into
 * {@code up} and {@code down}. A planned resource whose type has no handler here is shown in plans but not applied.
 */
final class ResourceHandlers {
    private final Map<String, ResourceHandler> byType;

    private ResourceHandlers(Map<String, ResourceHandler> byType) {
        this.byType = Map.copyOf(byType);
    }

    static ResourceHandlers of(AwsPlatform aws, ImageMirrors images) {
        Map<String, ResourceHandler> m = new LinkedHashMap<>();
        m.put(ResourceSpec.Vpc.TYPE, new Vpcs(aws));
        m.put(ResourceSpec.Subnet.TYPE, new Subnets(aws));
        m.put(ResourceSpec.InternetGateway.TYPE, new InternetGateways(aws));
        m.put(ResourceSpec.ElasticIp.TYPE, new ElasticIps(aws));
        m.put(ResourceSpec.NatGateway.TYPE, new NatGateways(aws));
        m.put(ResourceSpec.RouteTable.TYPE, new RouteTables(aws));
        m.put(ResourceSpec.SecurityGroup.TYPE, new SecurityGroups(aws));
        m.put(ResourceSpec.VpcEndpoint.TYPE, new VpcEndpoints(aws));
        m.put(ResourceSpec.IamRole.TYPE, new IamRoles(aws));
        m.put(ResourceSpec.EksCluster.TYPE, new EksClusters(aws));
        m.put(ResourceSpec.OidcProvider.TYPE, new OidcProviders(aws));
        m.put(ResourceSpec.NodeGroup.TYPE, new NodeGroups(aws));
        m.put(ResourceSpec.EksAddon.TYPE, new EksAddons(aws));
        m.put(ResourceSpec.S3Bucket.TYPE, new Buckets(aws));
        m.put(ResourceSpec.EcrRepository.TYPE, new EcrRepositoryHandler(aws));
        m.put(ResourceSpec.ImageMirror.TYPE, images);
        m.put(ResourceSpec.DatabaseSecret.TYPE, new DatabaseSecrets(aws));
        m.put(ResourceSpec.DbSubnetGroup.TYPE, new DbSubnetGroups(aws));
        m.put(ResourceSpec.DbInstance.TYPE, new DbInstances(aws));
        m.put(ResourceSpec.ClusterLeftovers.TYPE, new ClusterLeftovers(aws));
        return new ResourceHandlers(m);
    }

    Optional<ResourceHandler> of(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    boolean handles(Resource resource) {
        return byType.containsKey(resource.type());
    }

    ResourceHandler require(Resource resource) {
        return of(resource.type()).orElseThrow(() -> new IllegalStateException("no handler for " + resource.type()));
    }
}
