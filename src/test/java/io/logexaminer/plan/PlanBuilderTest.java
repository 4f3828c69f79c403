package io.logexaminer.plan;

import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanBuilderTest {
    private static Platform platform(String extra) {
        return PlatformLoader.parse("p.yaml", "name: demo\nregion: eu-west-1\n" + extra, Optional.empty()).platform();
    }

    private static Set<String> ids(ResourceGraph g) {
        return g.order().stream().map(Resource::id).collect(Collectors.toSet());
    }

    @Test
    void theGraphHoldsEveryResourceTypeOfThePlatform() {
        ResourceGraph g = PlanBuilder.build(platform(""));
        Set<String> types = g.order().stream().map(Resource::type).collect(Collectors.toSet());
        assertEquals(Set.of("aws:vpc", "aws:subnet", "aws:internet-gateway", "aws:route-table", "aws:elastic-ip",
                "aws:nat-gateway", "aws:security-group", "aws:vpc-endpoint", "aws:iam-role", "aws:eks-cluster",
                "aws:iam-oidc-provider", "aws:eks-nodegroup", "aws:eks-addon", "aws:s3-bucket", "aws:ecr-repository",
                "aws:secretsmanager-secret", "aws:rds-subnet-group", "aws:rds-instance", "ecr:image", "k8s:namespace",
                "k8s:service-account", "k8s:external-secrets", "k8s:spark-operator", "k8s:hive-metastore",
                "k8s:clickhouse", "k8s:cluster-autoscaler"), types);
        assertTrue(ids(g).containsAll(Set.of("iam-role/irsa/spark-apps", "iam-role/irsa/clickhouse",
                "iam-role/irsa/external-secrets", "iam-role/irsa/cluster-autoscaler", "iam-role/irsa/ebs-csi")));
        assertTrue(ids(g).containsAll(Set.of("k8s/namespace/spark", "k8s/namespace/clickhouse", "k8s/namespace/hive",
                "k8s/namespace/external-secrets")));
    }

    @Test
    void idsAreStableAcrossBuilds() {
        List<String> first = PlanBuilder.build(platform("")).order().stream().map(Resource::id).toList();
        List<String> second = PlanBuilder.build(platform("")).order().stream().map(Resource::id).toList();
        assertEquals(first, second);
    }

    @Test
    void corednsAndEbsCsiWaitForTheSystemNodeGroup() {
        ResourceGraph g = PlanBuilder.build(platform(""));
        assertTrue(g.require("eks-addon/coredns").dependsOn().contains("eks-nodegroup/system"));
        assertTrue(g.require("eks-addon/aws-ebs-csi-driver").dependsOn().containsAll(List.of("eks-nodegroup/system", "iam-role/irsa/ebs-csi")));
        assertEquals(List.of("eks-cluster"), g.require("eks-addon/vpc-cni").dependsOn());
    }

    @Test
    void natGatewayModesMakeNoneOneOrOnePerZone() {
        assertEquals(0, count(PlanBuilder.build(platform("network: {natGateway: none}\n")), "aws:nat-gateway"));
        assertEquals(1, count(PlanBuilder.build(platform("network: {natGateway: single}\n")), "aws:nat-gateway"));
        ResourceGraph perAz = PlanBuilder.build(platform("network: {natGateway: perAz}\n"));
        assertEquals(2, count(perAz, "aws:nat-gateway"));
        assertTrue(perAz.require("route-table/private/eu-west-1b").dependsOn().contains("nat-gateway/eu-west-1b"));
        ResourceGraph single = PlanBuilder.build(platform(""));
        assertTrue(single.require("route-table/private/eu-west-1b").dependsOn().contains("nat-gateway/eu-west-1a"));
    }

    @Test
    void irsaRolesAreScopedToTheirServiceAccounts() {
        ResourceSpec.IamRole role = (ResourceSpec.IamRole) PlanBuilder.build(platform("")).require("iam-role/irsa/spark-apps").spec();
        assertEquals(ResourceSpec.RoleKind.SERVICE_ACCOUNT, role.kind());
        assertEquals("spark", role.namespace());
        assertEquals("spark-apps", role.serviceAccount());
        assertEquals("demo-eu-west-1-spark-apps", role.roleName());
    }

    @Test
    void imagesAreMirroredBeforeTheComponentsThatRunThem() {
        ResourceGraph g = PlanBuilder.build(platform(""));
        assertTrue(g.require("k8s/clickhouse").dependsOn().contains("image/data-platform/clickhouse:24.8"));
        assertEquals(List.of("ecr-repository/data-platform/spark"), g.require("image/data-platform/spark:3.5.1").dependsOn());
        assertTrue(g.require("k8s/hive-metastore").dependsOn().containsAll(List.of("rds-instance", "k8s/external-secrets")));
    }

    private static long count(ResourceGraph g, String type) {
        return g.order().stream().filter(r -> r.type().equals(type)).count();
    }
}
