package io.logexaminer.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole of platform.yaml after defaults: what the platform should look like. Every record here is plain
 * data; {@link PlatformLoader} reads it and {@link PlatformValidator} checks it.
 */
public record Platform(
        String name,
        String region,
        Map<String, String> tags,
        Network network,
        Eks eks,
        Storage storage,
        Database database,
        Ecr ecr,
        List<ImageMirror> images,
        Kubernetes kubernetes,
        Spark spark) {

    /** The tag every owned resource carries, with the platform name as its value. */
    public static final String OWNER_TAG = "logexaminer.io/platform";
    /** The tag naming a resource's stable id in the plan. */
    public static final String LOGICAL_ID_TAG = "logexaminer.io/logical-id";

    public record Network(
            String vpcCidr,
            List<String> availabilityZones,
            List<Subnet> publicSubnets,
            List<Subnet> privateSubnets,
            NatGateway natGateway,
            List<VpcEndpoint> endpoints) {
    }

    public record Subnet(String availabilityZone, String cidr) {
    }

    public enum NatGateway {
        NONE("none"), SINGLE("single"), PER_AZ("perAz");

        private final String spelling;

        NatGateway(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    /** The VPC endpoints the platform can have; private nodes without NAT need all of them. */
    public enum VpcEndpoint {
        S3("s3", "s3", true),
        SECRETS_MANAGER("secretsmanager", "secretsmanager", false),
        ECR_API("ecr.api", "ecr.api", false),
        ECR_DKR("ecr.dkr", "ecr.dkr", false),
        STS("sts", "sts", false);

        private final String spelling;
        private final String serviceSuffix;
        private final boolean gateway;

        VpcEndpoint(String spelling, String serviceSuffix, boolean gateway) {
            this.spelling = spelling;
            this.serviceSuffix = serviceSuffix;
            this.gateway = gateway;
        }

        public String spelling() {
            return spelling;
        }

        /** The AWS service name of this endpoint in a region, such as {@code com.amazonaws.eu-west-1.ecr.dkr}. */
        public String serviceName(String region) {
            return "com.amazonaws." + region + "." + serviceSuffix;
        }

        public boolean gateway() {
            return gateway;
        }
    }

    public record Eks(
            String clusterName,
            String version,
            boolean endpointPublicAccess,
            boolean endpointPrivateAccess,
            List<String> publicAccessCidrs,
            List<NodeGroup> nodeGroups,
            List<Addon> addons,
            ClusterAutoscaler clusterAutoscaler) {

        public Optional<NodeGroup> nodeGroup(String name) {
            return nodeGroups.stream().filter(g -> g.name().equals(name)).findFirst();
        }
    }

    public record NodeGroup(
            String name,
            CapacityType capacityType,
            List<String> instanceTypes,
            int minSize,
            int desiredSize,
            int maxSize,
            int diskSizeGiB,
            Map<String, String> labels,
            List<Taint> taints) {
    }

    public enum CapacityType {
        ON_DEMAND("ON_DEMAND"), SPOT("SPOT");

        private final String spelling;

        CapacityType(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    public record Taint(String key, String value, TaintEffect effect) {
    }

    public enum TaintEffect {
        NO_SCHEDULE("NoSchedule"), PREFER_NO_SCHEDULE("PreferNoSchedule"), NO_EXECUTE("NoExecute");

        private final String spelling;

        TaintEffect(String spelling) {
            this.spelling = spelling;
        }

        /** The Kubernetes spelling; EKS's API spells the same effects NO_SCHEDULE and so on (the enum name). */
        public String spelling() {
            return spelling;
        }
    }

    /** An EKS add-on; an empty version means the default version for the cluster's Kubernetes version. */
    public record Addon(String name, String version) {
    }

    public record ClusterAutoscaler(boolean enabled, String image) {
    }

    public record Storage(Bucket rawBucket, Bucket icebergBucket) {
    }

    /**
     * An S3 bucket. {@code name} may hold {@code {accountId}} and {@code {region}}, filled in once the account is
     * known. {@code transitionToIaDays} of 0 means no lifecycle transition.
     */
    public record Bucket(String name, boolean versioning, int transitionToIaDays) {
    }

    public record Database(
            String identifier,
            String engineVersion,
            String instanceClass,
            int allocatedStorageGiB,
            boolean multiAz,
            String databaseName,
            String username,
            int port,
            int backupRetentionDays,
            boolean deletionProtection,
            String secretName) {
    }

    public record Ecr(List<String> repositories, boolean scanOnPush, TagMutability tagMutability, int keepLastImages) {
    }

    public enum TagMutability {
        MUTABLE("MUTABLE"), IMMUTABLE("IMMUTABLE");

        private final String spelling;

        TagMutability(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    /** One image to mirror: {@code target} is {@code REPOSITORY:TAG} in the platform's ECR registry. */
    public record ImageMirror(String source, String target) {

        public String targetRepository() {
            int colon = target.lastIndexOf(':');
            return colon < 0 ? target : target.substring(0, colon);
        }

        public String targetTag() {
            int colon = target.lastIndexOf(':');
            return colon < 0 ? "latest" : target.substring(colon + 1);
        }
    }

    public record Kubernetes(
            SparkOperator sparkOperator,
            HiveMetastore hiveMetastore,
            ClickHouse clickhouse,
            ExternalSecrets externalSecrets) {

        /** The platform's namespaces, in the order they are created. */
        public List<String> namespaces() {
            return List.of(sparkOperator.namespace(), hiveMetastore.namespace(), clickhouse.namespace(),
                            externalSecrets.namespace())
                    .stream().distinct().toList();
        }
    }

    /** {@code image} values of components name an {@code images[].target}: every image the cluster runs is mirrored. */
    public record SparkOperator(String namespace, String image, boolean webhook) {
    }

    public record HiveMetastore(String namespace, String image, int replicas, int port) {
    }

    public record ClickHouse(
            String namespace,
            String image,
            String serviceName,
            int httpPort,
            int nativePort,
            int storageGiB,
            ClickHouseCredentials credentials) {
    }

    /**
     * Where the ClickHouse password is kept: a Kubernetes secret in the ClickHouse namespace, or a Secrets Manager
     * secret; {@code key} is the secret's key (or JSON field) holding the password.
     */
    public record ClickHouseCredentials(String user, SecretSource source, String secretName, String key) {
    }

    public enum SecretSource {
        KUBERNETES("kubernetes"), SECRETS_MANAGER("secretsManager");

        private final String spelling;

        SecretSource(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    public record ExternalSecrets(String namespace, String image) {
    }

    /** Defaults for {@code submit-job}. */
    public record Spark(
            String namespace,
            String serviceAccount,
            String image,
            String sparkVersion,
            Resources driver,
            Executor executor,
            Map<String, String> sparkConf) {
    }

    public record Resources(int cores, String memory) {
    }

    public record Executor(int cores, String memory, int instances) {
    }
}
