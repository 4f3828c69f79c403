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
        public String type() { return "aws:vpc"; }
    }

    record Subnet(Tier tier, String availabilityZone, String cidr) implements ResourceSpec {
        public String type() { return "aws:subnet"; }
    }

    record InternetGateway() implements ResourceSpec {
        public String type() { return "aws:internet-gateway"; }
    }

    record ElasticIp(String availabilityZone) implements ResourceSpec {
        public String type() { return "aws:elastic-ip"; }
    }

    /** A NAT gateway in the public subnet of its zone; its ids name the subnet and Elastic IP resources. */
    record NatGateway(String availabilityZone, String subnetId, String elasticIpId) implements ResourceSpec {
        public String type() { return "aws:nat-gateway"; }
    }

    /**
     * A route table with its subnet associations. The public one routes 0.0.0.0/0 to the internet gateway; a private
     * one to {@code natGatewayId} (a resource id), or nowhere when the platform has no NAT gateway.
     */
    record RouteTable(Tier tier, String availabilityZone, List<String> subnetIds, String natGatewayId) implements ResourceSpec {
        public String type() { return "aws:route-table"; }
    }

    record SecurityGroup(String purpose, String description) implements ResourceSpec {
        public String type() { return "aws:security-group"; }
    }

    record VpcEndpoint(Platform.VpcEndpoint endpoint) implements ResourceSpec {
        public String type() { return "aws:vpc-endpoint"; }
    }

    enum RoleKind { EKS_CLUSTER, EKS_NODES, SERVICE_ACCOUNT }

    /**
     * An IAM role. For {@link RoleKind#SERVICE_ACCOUNT} roles (IRSA) {@code namespace} and {@code serviceAccount}
     * scope the trust policy to {@code system:serviceaccount:NS:SA}.
     */
    record IamRole(String roleName, RoleKind kind, String purpose, String namespace, String serviceAccount) implements ResourceSpec {
        public String type() { return "aws:iam-role"; }
    }

    record EksCluster(String name, String version) implements ResourceSpec {
        public String type() { return "aws:eks-cluster"; }
    }

    record OidcProvider() implements ResourceSpec {
        public String type() { return "aws:iam-oidc-provider"; }
    }

    record NodeGroup(Platform.NodeGroup group) implements ResourceSpec {
        public String type() { return "aws:eks-nodegroup"; }
    }

    /** An EKS add-on; {@code serviceAccountRoleId} is the id of its IRSA role resource, or null. */
    record EksAddon(String name, String version, String serviceAccountRoleId) implements ResourceSpec {
        public String type() { return "aws:eks-addon"; }
    }

    record S3Bucket(String purpose, Platform.Bucket bucket) implements ResourceSpec {
        public String type() { return "aws:s3-bucket"; }
    }

    record EcrRepository(String name) implements ResourceSpec {
        public String type() { return "aws:ecr-repository"; }
    }

    /** The Hive Metastore database secret: user, password, host, port, db. */
    record DatabaseSecret(String name) implements ResourceSpec {
        public String type() { return "aws:secretsmanager-secret"; }
    }

    record DbSubnetGroup(String name) implements ResourceSpec {
        public String type() { return "aws:rds-subnet-group"; }
    }

    record DbInstance(String identifier) implements ResourceSpec {
        public String type() { return "aws:rds-instance"; }
    }

    /** One {@code images[]} entry copied into ECR: a step of {@code up}. */
    record ImageMirror(Platform.ImageMirror image) implements ResourceSpec {
        public String type() { return "ecr:image"; }
    }

    record Namespace(String name) implements ResourceSpec {
        public String type() { return "k8s:namespace"; }
    }

    /** A service account annotated with the ARN of its IRSA role ({@code roleId} is the role's resource id). */
    record ServiceAccount(String namespace, String name, String roleId) implements ResourceSpec {
        public String type() { return "k8s:service-account"; }
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
