package io.logexaminer.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.config.Platform;
import io.logexaminer.plan.PlatformNames;
import io.logexaminer.plan.ResourceSpec.IamRole;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The IAM policy documents of the platform's roles: who may assume each role, the AWS-managed policies it gets, and
 * the least-privilege inline policy of the service-account roles, naming the exact buckets and secret.
 */
final class Policies {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String INLINE_POLICY = "logexaminer";
    static final String IRSA_AUDIENCE = "sts.amazonaws.com";

    private Policies() {
    }

    private static ObjectNode document() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("Version", "2012-10-17");
        doc.putArray("Statement");
        return doc;
    }

    private static ObjectNode statement(ObjectNode doc, List<String> actions, List<String> resources) {
        ObjectNode s = ((ArrayNode) doc.get("Statement")).addObject();
        s.put("Effect", "Allow");
        ArrayNode a = s.putArray("Action");
        actions.forEach(a::add);
        if (resources != null) {
            ArrayNode r = s.putArray("Resource");
            resources.forEach(r::add);
        }
        return s;
    }

    /** Who may assume a role: EKS, EC2, or one service account through the cluster's OIDC provider. */
    static JsonNode trust(IamRole role, String providerArn, String issuerHost) {
        ObjectNode doc = document();
        switch (role.kind()) {
            case EKS_CLUSTER -> statement(doc, List.of("sts:AssumeRole"), null).putObject("Principal").put("Service", "eks.amazonaws.com");
            case EKS_NODES -> statement(doc, List.of("sts:AssumeRole"), null).putObject("Principal").put("Service", "ec2.amazonaws.com");
            case SERVICE_ACCOUNT -> {
                ObjectNode s = statement(doc, List.of("sts:AssumeRoleWithWebIdentity"), null);
                s.putObject("Principal").put("Federated", providerArn);
                ObjectNode equals = s.putObject("Condition").putObject("StringEquals");
                equals.put(issuerHost + ":sub", "system:serviceaccount:" + role.namespace() + ":" + role.serviceAccount());
                equals.put(issuerHost + ":aud", IRSA_AUDIENCE);
            }
        }
        return doc;
    }

    /** The AWS-managed policies a role gets, as ARNs. */
    static List<String> managed(IamRole role, String partition) {
        String prefix = "arn:" + partition + ":iam::aws:policy/";
        return switch (role.kind()) {
            case EKS_CLUSTER -> List.of(prefix + "AmazonEKSClusterPolicy");
            case EKS_NODES -> List.of(prefix + "AmazonEKSWorkerNodePolicy", prefix + "AmazonEKS_CNI_Policy",
                    prefix + "AmazonEC2ContainerRegistryReadOnly");
            case SERVICE_ACCOUNT -> role.purpose().equals("ebs-csi")
                    ? List.of(prefix + "service-role/AmazonEBSCSIDriverPolicy") : List.of();
        };
    }

    /** Whether a role has an inline policy of this tool's. */
    static boolean hasInline(IamRole role) {
        return role.kind() == io.logexaminer.plan.ResourceSpec.RoleKind.SERVICE_ACCOUNT && !role.purpose().equals("ebs-csi");
    }

    /**
     * The inline policy of a service-account role, or empty while an ARN it names is not known yet (the secret's ARN
     * carries a suffix AWS picks when the secret is created).
     */
    static Optional<JsonNode> inline(IamRole role, AwsPlatform aws, Optional<String> secretArn) {
        Platform p = aws.platform();
        String s3 = "arn:" + aws.partition() + ":s3:::";
        List<String> buckets = List.of(s3 + bucket(aws, p.storage().rawBucket()), s3 + bucket(aws, p.storage().icebergBucket()));
        List<String> objects = buckets.stream().map(b -> b + "/*").toList();
        ObjectNode doc = document();
        switch (role.purpose()) {
            case "spark-apps" -> {
                statement(doc, List.of("s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"), buckets);
                statement(doc, List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                        "s3:ListMultipartUploadParts"), objects);
            }
            case "clickhouse" -> {
                statement(doc, List.of("s3:ListBucket", "s3:GetBucketLocation"), buckets);
                statement(doc, List.of("s3:GetObject"), objects);
            }
            case "external-secrets" -> {
                if (secretArn.isEmpty()) {
                    return Optional.empty();
                }
                statement(doc, List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), List.of(secretArn.get()));
            }
            case "cluster-autoscaler" -> {
                statement(doc, List.of("autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
                        "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags",
                        "ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions",
                        "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup"), List.of("*"));
                ObjectNode scale = statement(doc, List.of("autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"),
                        List.of("*"));
                scale.putObject("Condition").putObject("StringEquals")
                        .put("aws:ResourceTag/k8s.io/cluster-autoscaler/" + p.eks().clusterName(), "owned");
            }
            default -> throw new IllegalArgumentException("no inline policy for " + role.purpose());
        }
        return Optional.of(doc);
    }

    private static String bucket(AwsPlatform aws, Platform.Bucket bucket) {
        return PlatformNames.bucketName(bucket, aws.account(), aws.region());
    }

    static String text(JsonNode policy) {
        try {
            return JSON.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A policy document as IAM returns it (URL-encoded JSON), parsed for comparison. */
    static JsonNode parse(String document) {
        String decoded = document.trim().startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
        try {
            return JSON.readTree(decoded);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }
}
