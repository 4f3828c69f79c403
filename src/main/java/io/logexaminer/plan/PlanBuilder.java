package io.logexaminer.plan;

import io.logexaminer.config.Platform;
import io.logexaminer.plan.ResourceSpec.Component;
import io.logexaminer.plan.ResourceSpec.RoleKind;
import io.logexaminer.plan.ResourceSpec.Tier;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Turns a {@link Platform} into the graph of every AWS resource and Kubernetes component it is made of. */
public final class PlanBuilder {
    public static final String VPC = "vpc";
    public static final String INTERNET_GATEWAY = "internet-gateway";
    public static final String ENDPOINT_SECURITY_GROUP = "security-group/vpc-endpoints";
    public static final String DATABASE_SECURITY_GROUP = "security-group/database";
    public static final String CLUSTER_ROLE = "iam-role/eks-cluster";
    public static final String NODE_ROLE = "iam-role/eks-nodes";
    public static final String CLUSTER = "eks-cluster";
    public static final String OIDC_PROVIDER = "iam-oidc-provider";
    public static final String DATABASE_SECRET = "secret/hms-db";
    public static final String DB_SUBNET_GROUP = "rds-subnet-group";
    public static final String DB_INSTANCE = "rds-instance";

    private final Platform p;
    private final List<Resource> resources = new ArrayList<>();

    private PlanBuilder(Platform platform) {
        this.p = platform;
    }

    public static ResourceGraph build(Platform platform) {
        PlanBuilder b = new PlanBuilder(platform);
        b.network();
        b.storage();
        b.cluster();
        b.database();
        b.serviceAccountRoles();
        b.images();
        b.kubernetes();
        return ResourceGraph.of(b.resources);
    }

    public static String subnetId(Tier tier, String zone) {
        return "subnet/" + tier.name().toLowerCase() + "/" + zone;
    }

    public static String natGatewayId(String zone) {
        return "nat-gateway/" + zone;
    }

    public static String routeTableId(Tier tier, String zone) {
        return tier == Tier.PUBLIC ? "route-table/public" : "route-table/private/" + zone;
    }

    public static String nodeGroupId(String name) {
        return "eks-nodegroup/" + name;
    }

    public static String addonId(String name) {
        return "eks-addon/" + name;
    }

    public static String serviceAccountRoleId(String purpose) {
        return "iam-role/irsa/" + purpose;
    }

    public static String bucketId(String purpose) {
        return "s3-bucket/" + purpose;
    }

    public static String repositoryId(String name) {
        return "ecr-repository/" + name;
    }

    public static String imageId(String target) {
        return "image/" + target;
    }

    public static String namespaceId(String name) {
        return "k8s/namespace/" + name;
    }

    public static String serviceAccountId(String namespace, String name) {
        return "k8s/service-account/" + namespace + "/" + name;
    }

    public static String componentId(Component component) {
        return "k8s/" + component.spelling();
    }

    private void add(String id, ResourceSpec spec, List<String> dependsOn) {
        resources.add(new Resource(id, dependsOn, spec));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private List<String> zones() {
        return p.network().availabilityZones();
    }

    private List<String> subnetIds(Tier tier) {
        return zones().stream().map(z -> subnetId(tier, z)).toList();
    }

    private List<String> privateRouteTables() {
        return zones().stream().map(z -> routeTableId(Tier.PRIVATE, z)).toList();
    }

    private List<String> endpointIds() {
        return p.network().endpoints().stream().map(e -> "vpc-endpoint/" + e.spelling()).toList();
    }

    private void network() {
        Platform.Network n = p.network();
        add(VPC, new ResourceSpec.Vpc(n.vpcCidr()), List.of());
        for (Platform.Subnet s : n.publicSubnets()) {
            add(subnetId(Tier.PUBLIC, s.availabilityZone()), new ResourceSpec.Subnet(Tier.PUBLIC, s.availabilityZone(), s.cidr()), List.of(VPC));
        }
        for (Platform.Subnet s : n.privateSubnets()) {
            add(subnetId(Tier.PRIVATE, s.availabilityZone()), new ResourceSpec.Subnet(Tier.PRIVATE, s.availabilityZone(), s.cidr()), List.of(VPC));
        }
        add(INTERNET_GATEWAY, new ResourceSpec.InternetGateway(), List.of(VPC));
        add(routeTableId(Tier.PUBLIC, null), new ResourceSpec.RouteTable(Tier.PUBLIC, null, subnetIds(Tier.PUBLIC), null),
                concat(List.of(INTERNET_GATEWAY), subnetIds(Tier.PUBLIC)));

        List<String> natZones = switch (n.natGateway()) {
            case NONE -> List.of();
            case SINGLE -> List.of(zones().getFirst());
            case PER_AZ -> zones();
        };
        for (String zone : natZones) {
            String eip = "elastic-ip/nat/" + zone;
            add(eip, new ResourceSpec.ElasticIp(zone), List.of());
            add(natGatewayId(zone), new ResourceSpec.NatGateway(zone, subnetId(Tier.PUBLIC, zone), eip),
                    List.of(subnetId(Tier.PUBLIC, zone), eip, routeTableId(Tier.PUBLIC, null)));
        }
        for (String zone : zones()) {
            String nat = natZones.isEmpty() ? null : natGatewayId(natZones.contains(zone) ? zone : natZones.getFirst());
            List<String> deps = new ArrayList<>(List.of(VPC, subnetId(Tier.PRIVATE, zone)));
            if (nat != null) {
                deps.add(nat);
            }
            add(routeTableId(Tier.PRIVATE, zone), new ResourceSpec.RouteTable(Tier.PRIVATE, zone, List.of(subnetId(Tier.PRIVATE, zone)), nat), deps);
        }
        boolean interfaceEndpoints = n.endpoints().stream().anyMatch(e -> !e.gateway());
        if (interfaceEndpoints) {
            add(ENDPOINT_SECURITY_GROUP, new ResourceSpec.SecurityGroup("vpc-endpoints",
                    "HTTPS from the VPC to the interface endpoints"), List.of(VPC));
        }
        for (Platform.VpcEndpoint e : n.endpoints()) {
            List<String> deps = e.gateway()
                    ? privateRouteTables()
                    : concat(subnetIds(Tier.PRIVATE), List.of(ENDPOINT_SECURITY_GROUP));
            add("vpc-endpoint/" + e.spelling(), new ResourceSpec.VpcEndpoint(e), deps);
        }
    }

    private void storage() {
        add(bucketId("raw"), new ResourceSpec.S3Bucket("raw", p.storage().rawBucket()), List.of());
        add(bucketId("iceberg"), new ResourceSpec.S3Bucket("iceberg", p.storage().icebergBucket()), List.of());
        for (String repo : p.ecr().repositories()) {
            add(repositoryId(repo), new ResourceSpec.EcrRepository(repo), List.of());
        }
    }

    private void cluster() {
        add(CLUSTER_ROLE, role(RoleKind.EKS_CLUSTER, "eks-cluster", null, null), List.of());
        add(NODE_ROLE, role(RoleKind.EKS_NODES, "eks-nodes", null, null), List.of());
        add(CLUSTER, new ResourceSpec.EksCluster(p.eks().clusterName(), p.eks().version()),
                concat(List.of(CLUSTER_ROLE), concat(subnetIds(Tier.PRIVATE), subnetIds(Tier.PUBLIC))));
        add(OIDC_PROVIDER, new ResourceSpec.OidcProvider(), List.of(CLUSTER));
        // Nodes in private subnets join only once their route out (NAT or endpoints) exists.
        List<String> nodeDeps = concat(concat(List.of(CLUSTER, NODE_ROLE), privateRouteTables()), endpointIds());
        for (Platform.NodeGroup g : p.eks().nodeGroups()) {
            add(nodeGroupId(g.name()), new ResourceSpec.NodeGroup(g), nodeDeps);
        }
        for (Platform.Addon addon : p.eks().addons()) {
            switch (addon.name()) {
                case "coredns" -> add(addonId(addon.name()), new ResourceSpec.EksAddon(addon.name(), addon.version(), null),
                        List.of(CLUSTER, nodeGroupId("system")));
                case "aws-ebs-csi-driver" -> {
                    String roleId = serviceAccountRoleId("ebs-csi");
                    add(roleId, role(RoleKind.SERVICE_ACCOUNT, "ebs-csi", "kube-system", "ebs-csi-controller-sa"), List.of(OIDC_PROVIDER));
                    add(addonId(addon.name()), new ResourceSpec.EksAddon(addon.name(), addon.version(), roleId),
                            List.of(CLUSTER, nodeGroupId("system"), roleId));
                }
                default -> add(addonId(addon.name()), new ResourceSpec.EksAddon(addon.name(), addon.version(), null), List.of(CLUSTER));
            }
        }
    }

    private void database() {
        add(DATABASE_SECRET, new ResourceSpec.DatabaseSecret(p.database().secretName()), List.of());
        add(DATABASE_SECURITY_GROUP, new ResourceSpec.SecurityGroup("database",
                "PostgreSQL " + p.database().port() + " from the EKS cluster only"), List.of(VPC, CLUSTER));
        add(DB_SUBNET_GROUP, new ResourceSpec.DbSubnetGroup(PlatformNames.dbSubnetGroupName(p)), subnetIds(Tier.PRIVATE));
        add(DB_INSTANCE, new ResourceSpec.DbInstance(p.database().identifier()),
                List.of(DB_SUBNET_GROUP, DATABASE_SECURITY_GROUP, DATABASE_SECRET));
    }

    private void serviceAccountRoles() {
        List<String> buckets = List.of(bucketId("raw"), bucketId("iceberg"));
        add(serviceAccountRoleId("spark-apps"), role(RoleKind.SERVICE_ACCOUNT, "spark-apps",
                p.spark().namespace(), p.spark().serviceAccount()), concat(List.of(OIDC_PROVIDER), buckets));
        add(serviceAccountRoleId("clickhouse"), role(RoleKind.SERVICE_ACCOUNT, "clickhouse",
                p.kubernetes().clickhouse().namespace(), "clickhouse"), concat(List.of(OIDC_PROVIDER), buckets));
        add(serviceAccountRoleId("external-secrets"), role(RoleKind.SERVICE_ACCOUNT, "external-secrets",
                p.kubernetes().externalSecrets().namespace(), "external-secrets"), List.of(OIDC_PROVIDER, DATABASE_SECRET));
        if (p.eks().clusterAutoscaler().enabled()) {
            add(serviceAccountRoleId("cluster-autoscaler"), role(RoleKind.SERVICE_ACCOUNT, "cluster-autoscaler",
                    "kube-system", "cluster-autoscaler"), List.of(OIDC_PROVIDER));
        }
    }

    private ResourceSpec.IamRole role(RoleKind kind, String purpose, String namespace, String serviceAccount) {
        return new ResourceSpec.IamRole(PlatformNames.roleName(p, purpose), kind, purpose, namespace, serviceAccount);
    }

    private void images() {
        for (Platform.ImageMirror image : p.images()) {
            add(imageId(image.target()), new ResourceSpec.ImageMirror(image), List.of(repositoryId(image.targetRepository())));
        }
    }

    private void kubernetes() {
        Platform.Kubernetes k = p.kubernetes();
        for (String ns : k.namespaces()) {
            add(namespaceId(ns), new ResourceSpec.Namespace(ns), List.of(CLUSTER));
        }
        if (!k.namespaces().contains(p.spark().namespace())) {
            add(namespaceId(p.spark().namespace()), new ResourceSpec.Namespace(p.spark().namespace()), List.of(CLUSTER));
        }
        String system = nodeGroupId("system");
        serviceAccount(p.spark().namespace(), p.spark().serviceAccount(), "spark-apps");
        serviceAccount(k.clickhouse().namespace(), "clickhouse", "clickhouse");
        serviceAccount(k.externalSecrets().namespace(), "external-secrets", "external-secrets");

        add(componentId(Component.EXTERNAL_SECRETS), new ResourceSpec.KubernetesComponent(Component.EXTERNAL_SECRETS, k.externalSecrets().namespace()),
                List.of(serviceAccountId(k.externalSecrets().namespace(), "external-secrets"), imageId(k.externalSecrets().image()), system));
        add(componentId(Component.SPARK_OPERATOR), new ResourceSpec.KubernetesComponent(Component.SPARK_OPERATOR, k.sparkOperator().namespace()),
                List.of(namespaceId(k.sparkOperator().namespace()), serviceAccountId(p.spark().namespace(), p.spark().serviceAccount()),
                        imageId(k.sparkOperator().image()), imageId(p.spark().image()), system));
        add(componentId(Component.HIVE_METASTORE), new ResourceSpec.KubernetesComponent(Component.HIVE_METASTORE, k.hiveMetastore().namespace()),
                List.of(namespaceId(k.hiveMetastore().namespace()), imageId(k.hiveMetastore().image()), DB_INSTANCE,
                        componentId(Component.EXTERNAL_SECRETS), system));
        List<String> clickhouseDeps = new ArrayList<>(List.of(serviceAccountId(k.clickhouse().namespace(), "clickhouse"),
                imageId(k.clickhouse().image()), system));
        if (p.eks().addons().stream().anyMatch(a -> a.name().equals("aws-ebs-csi-driver"))) {
            clickhouseDeps.add(addonId("aws-ebs-csi-driver"));
        }
        add(componentId(Component.CLICKHOUSE), new ResourceSpec.KubernetesComponent(Component.CLICKHOUSE, k.clickhouse().namespace()), clickhouseDeps);
        if (p.eks().clusterAutoscaler().enabled()) {
            add(componentId(Component.CLUSTER_AUTOSCALER), new ResourceSpec.KubernetesComponent(Component.CLUSTER_AUTOSCALER, "kube-system"),
                    List.of(serviceAccountRoleId("cluster-autoscaler"), imageId(p.eks().clusterAutoscaler().image()), system));
        }
    }

    private void serviceAccount(String namespace, String name, String rolePurpose) {
        add(serviceAccountId(namespace, name), new ResourceSpec.ServiceAccount(namespace, name, serviceAccountRoleId(rolePurpose)),
                List.of(namespaceId(namespace), serviceAccountRoleId(rolePurpose)));
    }
}
