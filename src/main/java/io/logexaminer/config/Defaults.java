package io.logexaminer.config;

import java.util.List;
import java.util.Map;

/** The values platform.yaml may leave out. One place, so the docs, the schema and the example can point here. */
public final class Defaults {
    private Defaults() {
    }

    public static final String EKS_VERSION = "1.33";
    /** EKS versions in standard or extended support that the tool knows how to run. */
    public static final List<String> SUPPORTED_EKS_VERSIONS = List.of("1.29", "1.30", "1.31", "1.32", "1.33", "1.34");

    public static final String VPC_CIDR = "10.0.0.0/16";
    public static final List<String> ADDONS = List.of("vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver");

    public static final String SPARK_VERSION = "3.5.1";
    public static final String HIVE_VERSION = "3.1.3";

    /** Every image the platform runs, mirrored into ECR so that private nodes need no internet. */
    public static final List<Platform.ImageMirror> IMAGES = List.of(
            new Platform.ImageMirror("docker.io/apache/spark:3.5.1", "data-platform/spark:3.5.1"),
            new Platform.ImageMirror("docker.io/apache/hive:3.1.3", "data-platform/hive:3.1.3"),
            new Platform.ImageMirror("docker.io/kubeflow/spark-operator:2.1.1", "data-platform/spark-operator:2.1.1"),
            new Platform.ImageMirror("docker.io/clickhouse/clickhouse-server:24.8", "data-platform/clickhouse:24.8"),
            new Platform.ImageMirror("ghcr.io/external-secrets/external-secrets:v0.10.7",
                    "data-platform/external-secrets:v0.10.7"),
            new Platform.ImageMirror("registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0",
                    "data-platform/cluster-autoscaler:v1.33.0"));

    public static final String SPARK_IMAGE = "data-platform/spark:3.5.1";
    public static final String HIVE_IMAGE = "data-platform/hive:3.1.3";
    public static final String SPARK_OPERATOR_IMAGE = "data-platform/spark-operator:2.1.1";
    public static final String CLICKHOUSE_IMAGE = "data-platform/clickhouse:24.8";
    public static final String EXTERNAL_SECRETS_IMAGE = "data-platform/external-secrets:v0.10.7";
    public static final String CLUSTER_AUTOSCALER_IMAGE = "data-platform/cluster-autoscaler:v1.33.0";

    static List<String> availabilityZones(String region) {
        return List.of(region + "a", region + "b");
    }

    /** The node groups of DESIGN.md: {@code system} on demand, {@code executors} on spot with a taint. */
    static Platform.NodeGroup nodeGroup(String name) {
        boolean executors = name.equals("executors");
        return new Platform.NodeGroup(
                name,
                executors ? Platform.CapacityType.SPOT : Platform.CapacityType.ON_DEMAND,
                executors ? List.of("m6i.2xlarge", "m6a.2xlarge", "m5.2xlarge", "m5a.2xlarge") : List.of("m6i.large"),
                executors ? 0 : 2,
                executors ? 0 : 2,
                executors ? 20 : 4,
                executors ? 100 : 50,
                Map.of("role", name),
                executors
                        ? List.of(new Platform.Taint("role", "executors", Platform.TaintEffect.NO_SCHEDULE))
                        : List.of());
    }
}
