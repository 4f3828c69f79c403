package io.logexaminer.plan;

import io.logexaminer.config.Platform;

import java.util.List;

/**
 * What one resource of the platform should be: the parameters that tell it apart from its siblings. The adapters
 * read everything else they need from the {@link Platform}. Each spec names its resource type, the string that
 * plans, progress and JSON show.
 */
public sealed interface ResourceSpec {

    String type();

    enum Tier { PUBLIC, PRIVATE }

    record Vpc(String cidr) implements ResourceSpec {
        public static final String TYPE = "aws:vpc";

        public String type() { return TYPE; }
    }

    record Subnet(Tier tier, String availabilityZone, String cidr) implements ResourceSpec {
        public static final String TYPE = "aws:subnet";

        public String type() { return TYPE; }
    }

    record InternetGateway() implements ResourceSpec {
        public static final String TYPE = "aws:internet-gateway";

        public String type() { return TYPE; }
    }

    record ElasticIp(String availabilityZone) implements ResourceSpec {
        public static final String TYPE = "aws:elastic-ip";

        public String type() { return TYPE; }
    }

    /** A NAT gateway in the public subnet of its zone; its ids name the subnet and Elastic IP resources. */
    record NatGateway(String availabilityZone, String subnetId, String elasticIpId) implements ResourceSpec {
        public static final String TYPE = "aws:nat-gateway";

        public String type() { return TYPE; }
    }

    /**
     * A route table with its subnet associations. The public one routes 0.0.0.0/0 to the internet gateway; a private
     * one to {@code natGatewayId} (a resource id), or nowhere when the platform has no NAT gateway.
     */
    record RouteTable(Tier tier, String availabilityZone, List<String> subnetIds, String natGatewayId) implements ResourceSpec {
        public static final String TYPE = "aws:route-table";

        public String type() { return TYPE; }
    }

    record SecurityGroup(String purpose, String description) implements ResourceSpec {
        public static final String TYPE = "aws:security-group";

        public String type() { return TYPE; }
    }

    record VpcEndpoint(Platform.VpcEndpoint endpoint) implements ResourceSpec {
        public static final String TYPE = "aws:vpc-endpoint";

        public String type() { return TYPE; }
    }

    enum RoleKind { EKS_CLUSTER, EKS_NODES, SERVICE_ACCOUNT }

    /**
     * An IAM role. For {@link RoleKind#SERVICE_ACCOUNT} roles (IRSA) {@code namespace} and {@code serviceAccount}
     * scope the trust policy to {@code system:serviceaccount:NS:SA}.
     */
    record IamRole(String roleName, RoleKind kind, String purpose, String namespace, String serviceAccount) implements ResourceSpec {
        public static final String TYPE = "aws:iam-role";

        public String type() { return TYPE; }
    }

    record EksCluster(String name, String version) implements ResourceSpec {
        public static final String TYPE = "aws:eks-cluster";

        public String type() { return TYPE; }
    }

    record OidcProvider() implements ResourceSpec {
        public static final String TYPE = "aws:iam-oidc-provider";

        public String type() { return TYPE; }
    }

    record NodeGroup(Platform.NodeGroup group) implements ResourceSpec {
        public static final String TYPE = "aws:eks-nodegroup";

        public String type() { return TYPE; }
    }

    /** An EKS add-on; {@code serviceAccountRoleId} is the id of its IRSA role resource, or null. */
    record EksAddon(String name, String version, String serviceAccountRoleId) implements ResourceSpec {
        public static final String TYPE = "aws:eks-addon";

        public String type() { return TYPE; }
    }

    record S3Bucket(String purpose, Platform.Bucket bucket) implements ResourceSpec {
        public static final String TYPE = "aws:s3-bucket";

        public String type() { return TYPE; }
    }

    record EcrRepository(String name) implements ResourceSpec {
        public static final String TYPE = "aws:ecr-repository";

        public String type() { return TYPE; }
    }

    /** The Hive Metastore database secret: user, password, host, port, db. */
    record DatabaseSecret(String name) implements ResourceSpec {
        public static final String TYPE = "aws:secretsmanager-secret";

        public String type() { return TYPE; }
    }

    record DbSubnetGroup(String name) implements ResourceSpec {
        public static final String TYPE = "aws:rds-subnet-group";

        public String type() { return TYPE; }
    }

    record DbInstance(String identifier) implements ResourceSpec {
        public static final String TYPE = "aws:rds-instance";

        public String type() { return TYPE; }
    }

    /**
     * What EKS leaves in the VPC for a cluster it no longer runs: load balancers, network interfaces and security
     * groups tagged {@code kubernetes.io/cluster/NAME}. Only {@code down} has it, between the cluster and the network.
     */
    record ClusterLeftovers(String clusterName) implements ResourceSpec {
        public static final String TYPE = "aws:eks-leftovers";

        public String type() { return TYPE; }
    }

    /**
     * A resource that carries the platform's tags but that platform.yaml no longer describes (an endpoint taken off the
     * list, a node group renamed): {@code up} and {@code down} delete it. {@code type} is the type it was made as.
     */
    record Leftover(String type) implements ResourceSpec {
    }

    /** One {@code images[]} entry copied into ECR: a step of {@code up}. */
    record ImageMirror(Platform.ImageMirror image) implements ResourceSpec {
        public static final String TYPE = "ecr:image";

        public String type() { return TYPE; }
    }

    record Namespace(String name) implements ResourceSpec {
        public static final String TYPE = "k8s:namespace";

        public String type() { return TYPE; }
    }

    /** A service account annotated with the ARN of its IRSA role ({@code roleId} is the role's resource id). */
    record ServiceAccount(String namespace, String name, String roleId) implements ResourceSpec {
        public static final String TYPE = "k8s:service-account";

        public String type() { return TYPE; }
    }

    enum Component {
        EXTERNAL_SECRETS("external-secrets"),
        SPARK_OPERATOR("spark-operator"),
        HIVE_METASTORE("hive-metastore"),
        CLICKHOUSE("clickhouse"),
        CLUSTER_AUTOSCALER("cluster-autoscaler");

        private final String spelling;

        Component(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    /** A platform component in the cluster, with its workloads, services and custom resources. */
    record KubernetesComponent(Component component, String namespace) implements ResourceSpec {
        public String type() { return "k8s:" + component.spelling(); }
    }
}
