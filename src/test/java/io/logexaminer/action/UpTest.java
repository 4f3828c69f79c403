package io.logexaminer.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.logexaminer.aws.EcrRepositories;
import io.logexaminer.config.Platform;
import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.MirrorFixture;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestImages;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.rds.model.DBInstance;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code up} of the whole platform against moto server, behind a proxy that also answers the EKS add-on calls moto lacks. */
class UpTest extends AgainstMoto {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REPOSITORIES = List.of("data-platform/spark", "data-platform/hive", "data-platform/spark-operator",
            "data-platform/clickhouse", "data-platform/external-secrets", "data-platform/cluster-autoscaler");

    private static Map<String, String> tags(List<software.amazon.awssdk.services.ec2.model.Tag> tags) {
        return tags.stream().collect(Collectors.toMap(software.amazon.awssdk.services.ec2.model.Tag::key,
                software.amazon.awssdk.services.ec2.model.Tag::value));
    }

    private static Filter logicalId(String id) {
        return Filter.builder().name("tag:" + Platform.LOGICAL_ID_TAG).values(id).build();
    }

    @Test
    void upCreatesEveryResourceAsDesignedAndASecondUpChangesNothing() throws Exception {
        String example = example();
        CliRun first = up("-f", example);
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(1, AwsCallLog.clientSets(), "the images' ECR logins and repositories and the kubeconfig go through up's own "
                + "AWS clients: " + AwsCallLog.calls());
        assertTrue(first.err().contains("not applied: 12 planned resources (1 k8s:clickhouse, 1 k8s:cluster-autoscaler, 1 k8s:external-secrets, "
                + "1 k8s:hive-metastore, 4 k8s:namespace, 3 k8s:service-account, 1 k8s:spark-operator): this build has no handler "
                + "for them\n"), first.err());

        // Network: the VPC with DNS, tagged subnets, the internet gateway, routes, one NAT gateway, five endpoints.
        var vpc = aws.ec2().describeVpcs(r -> r.filters(logicalId("vpc"))).vpcs();
        assertEquals(1, vpc.size());
        String vpcId = vpc.getFirst().vpcId();
        assertEquals("10.0.0.0/16", vpc.getFirst().cidrBlock());
        Map<String, String> vpcTags = tags(vpc.getFirst().tags());
        assertEquals("logexaminer", vpcTags.get(Platform.OWNER_TAG));
        assertEquals("data-platform", vpcTags.get("team"));
        assertTrue(aws.ec2().describeVpcAttribute(r -> r.vpcId(vpcId).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES))
                .enableDnsHostnames().value());
        assertTrue(aws.ec2().describeVpcAttribute(r -> r.vpcId(vpcId).attribute(VpcAttributeName.ENABLE_DNS_SUPPORT))
                .enableDnsSupport().value());
        Subnet publicA = aws.ec2().describeSubnets(r -> r.filters(logicalId("subnet/public/eu-west-1a"))).subnets().getFirst();
        assertEquals("10.0.0.0/20", publicA.cidrBlock());
        assertTrue(publicA.mapPublicIpOnLaunch());
        assertEquals("1", tags(publicA.tags()).get("kubernetes.io/role/elb"));
        Subnet privateB = aws.ec2().describeSubnets(r -> r.filters(logicalId("subnet/private/eu-west-1b"))).subnets().getFirst();
        assertEquals("1", tags(privateB.tags()).get("kubernetes.io/role/internal-elb"));
        assertEquals("eu-west-1b", privateB.availabilityZone());
        var igw = aws.ec2().describeInternetGateways(r -> r.filters(logicalId("internet-gateway"))).internetGateways().getFirst();
        assertEquals(vpcId, igw.attachments().getFirst().vpcId());
        var nats = aws.ec2().describeNatGateways(r -> r.filter(Filter.builder().name("vpc-id").values(vpcId).build())).natGateways();
        assertEquals(1, nats.size(), "natGateway: single");
        assertEquals(publicA.subnetId(), nats.getFirst().subnetId());
        RouteTable privateRoutes = aws.ec2().describeRouteTables(r -> r.filters(logicalId("route-table/private/eu-west-1b")))
                .routeTables().getFirst();
        assertTrue(privateRoutes.routes().stream().anyMatch(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())
                && nats.getFirst().natGatewayId().equals(r.natGatewayId())));
        assertTrue(privateRoutes.associations().stream().anyMatch(a -> privateB.subnetId().equals(a.subnetId())));
        RouteTable publicRoutes = aws.ec2().describeRouteTables(r -> r.filters(logicalId("route-table/public"))).routeTables().getFirst();
        assertTrue(publicRoutes.routes().stream().anyMatch(r -> igw.internetGatewayId().equals(r.gatewayId())));
        assertEquals(2, publicRoutes.associations().stream().filter(a -> a.subnetId() != null).count());
        List<VpcEndpoint> endpoints = aws.ec2().describeVpcEndpoints(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
                .vpcEndpoints();
        assertEquals(Set.of("com.amazonaws.eu-west-1.s3", "com.amazonaws.eu-west-1.secretsmanager", "com.amazonaws.eu-west-1.ecr.api",
                "com.amazonaws.eu-west-1.ecr.dkr", "com.amazonaws.eu-west-1.sts"),
                endpoints.stream().map(VpcEndpoint::serviceName).collect(Collectors.toSet()));
        SecurityGroup endpointGroup = aws.ec2().describeSecurityGroups(r -> r.filters(logicalId("security-group/vpc-endpoints")))
                .securityGroups().getFirst();
        VpcEndpoint sts = endpoints.stream().filter(e -> e.serviceName().endsWith(".sts")).findFirst().orElseThrow();
        assertTrue(sts.privateDnsEnabled());
        assertEquals(List.of(endpointGroup.groupId()), sts.groups().stream().map(g -> g.groupId()).toList());
        assertEquals(2, sts.subnetIds().size());
        VpcEndpoint s3 = endpoints.stream().filter(e -> e.serviceName().endsWith(".s3")).findFirst().orElseThrow();
        assertEquals(2, s3.routeTableIds().size(), "the S3 gateway serves both private route tables");
        assertEquals(Set.of("tcp/443 from 10.0.0.0/16"), rules(endpointGroup));
        SecurityGroup database = aws.ec2().describeSecurityGroups(r -> r.filters(logicalId("security-group/database")))
                .securityGroups().getFirst();
        // moto's clusters have no cluster security group, so the rule falls back to the private subnets, where the nodes run.
        assertEquals(Set.of("tcp/5432 from 10.0.64.0/18", "tcp/5432 from 10.0.128.0/18"), rules(database));

        // IAM: the cluster and node roles, IRSA roles scoped to one service account each, least-privilege inline policies.
        Role clusterRole = aws.iam().getRole(r -> r.roleName("logexaminer-eu-west-1-eks-cluster")).role();
        assertTrue(decode(clusterRole.assumeRolePolicyDocument()).toString().contains("eks.amazonaws.com"));
        assertEquals(Set.of("AmazonEKSClusterPolicy"), attached("logexaminer-eu-west-1-eks-cluster"));
        assertEquals(Set.of("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"),
                attached("logexaminer-eu-west-1-eks-nodes"));
        Cluster cluster = aws.eks().describeCluster(r -> r.name("logexaminer")).cluster();
        String issuerHost = cluster.identity().oidc().issuer().replace("https://", "");
        String providerArn = "arn:aws:iam::" + MotoServer.ACCOUNT + ":oidc-provider/" + issuerHost;
        var provider = aws.iam().getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(providerArn));
        assertEquals(List.of("sts.amazonaws.com"), provider.clientIDList());
        JsonNode sparkTrust = decode(aws.iam().getRole(r -> r.roleName("logexaminer-eu-west-1-spark-apps")).role().assumeRolePolicyDocument());
        JsonNode statement = sparkTrust.get("Statement").get(0);
        assertEquals(providerArn, statement.get("Principal").get("Federated").asText());
        assertEquals("system:serviceaccount:spark:spark-apps", statement.get("Condition").get("StringEquals").get(issuerHost + ":sub").asText());
        assertEquals("sts.amazonaws.com", statement.get("Condition").get("StringEquals").get(issuerHost + ":aud").asText());
        JsonNode sparkPolicy = decode(aws.iam().getRolePolicy(r -> r.roleName("logexaminer-eu-west-1-spark-apps").policyName("logexaminer"))
                .policyDocument());
        assertTrue(sparkPolicy.toString().contains("arn:aws:s3:::logexaminer-raw-123456789012-eu-west-1/*"), sparkPolicy.toString());
        assertTrue(sparkPolicy.toString().contains("arn:aws:s3:::logexaminer-iceberg-123456789012-eu-west-1\""), sparkPolicy.toString());
        assertFalse(sparkPolicy.toString().contains("\"*\""), "no wildcard resource: " + sparkPolicy);
        JsonNode clickhousePolicy = decode(aws.iam().getRolePolicy(r -> r.roleName("logexaminer-eu-west-1-clickhouse").policyName("logexaminer"))
                .policyDocument());
        assertFalse(clickhousePolicy.toString().contains("s3:PutObject"), "clickhouse only reads");
        String secretArn = aws.secretsManager().describeSecret(r -> r.secretId("logexaminer/logexaminer/hms-db")).arn();
        JsonNode secretsPolicy = decode(aws.iam().getRolePolicy(r -> r.roleName("logexaminer-eu-west-1-external-secrets").policyName("logexaminer"))
                .policyDocument());
        assertEquals(secretArn, secretsPolicy.get("Statement").get(0).get("Resource").get(0).asText());
        assertEquals(Set.of("AmazonEBSCSIDriverPolicy"), attached("logexaminer-eu-west-1-ebs-csi"));

        // EKS: the version, both endpoints, the node groups, the four add-ons.
        assertEquals("1.33", cluster.version());
        assertTrue(cluster.resourcesVpcConfig().endpointPublicAccess());
        assertTrue(cluster.resourcesVpcConfig().endpointPrivateAccess());
        assertEquals("logexaminer", cluster.tags().get(Platform.OWNER_TAG));
        Nodegroup executors = aws.eks().describeNodegroup(r -> r.clusterName("logexaminer").nodegroupName("executors")).nodegroup();
        assertEquals("SPOT", executors.capacityTypeAsString());
        assertEquals(List.of("m6i.2xlarge", "m6a.2xlarge", "m5.2xlarge", "m5a.2xlarge"), executors.instanceTypes());
        assertEquals(Map.of("role", "executors"), executors.labels());
        assertEquals("role=executors:NO_SCHEDULE", executors.taints().getFirst().key() + "=" + executors.taints().getFirst().value()
                + ":" + executors.taints().getFirst().effectAsString());
        assertEquals(0, executors.scalingConfig().minSize());
        assertEquals(20, executors.scalingConfig().maxSize());
        assertEquals(new TreeSet<>(List.of(privateB.subnetId(), aws.ec2().describeSubnets(r -> r.filters(logicalId("subnet/private/eu-west-1a")))
                .subnets().getFirst().subnetId())), new TreeSet<>(executors.subnets()));
        Nodegroup system = aws.eks().describeNodegroup(r -> r.clusterName("logexaminer").nodegroupName("system")).nodegroup();
        assertEquals("ON_DEMAND", system.capacityTypeAsString());
        Map<String, JsonNode> addons = proxy.addons().of("logexaminer");
        assertEquals(Set.of("vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver"), addons.keySet());
        assertEquals("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/logexaminer-eu-west-1-ebs-csi",
                addons.get("aws-ebs-csi-driver").get("serviceAccountRoleArn").asText());

        // S3: versioning, SSE-S3, lifecycle on the raw bucket only, the public access block, tags.
        String raw = "logexaminer-raw-123456789012-eu-west-1";
        String iceberg = "logexaminer-iceberg-123456789012-eu-west-1";
        for (String bucket : List.of(raw, iceberg)) {
            assertEquals("Enabled", aws.s3().getBucketVersioning(r -> r.bucket(bucket)).statusAsString());
            assertEquals("AES256", aws.s3().getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules()
                    .getFirst().applyServerSideEncryptionByDefault().sseAlgorithmAsString());
            var block = aws.s3().getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
            assertTrue(block.blockPublicAcls() && block.ignorePublicAcls() && block.blockPublicPolicy() && block.restrictPublicBuckets());
            assertTrue(aws.s3().getBucketTagging(r -> r.bucket(bucket)).tagSet().stream()
                    .anyMatch(t -> t.key().equals(Platform.OWNER_TAG) && t.value().equals("logexaminer")));
        }
        var rule = aws.s3().getBucketLifecycleConfiguration(r -> r.bucket(raw)).rules().getFirst();
        assertEquals(30, rule.transitions().getFirst().days());
        assertEquals("STANDARD_IA", rule.transitions().getFirst().storageClassAsString());

        // RDS and its secret: the password made by the tool, host and port filled in once the database exists.
        DBInstance db = aws.rds().describeDBInstances(r -> r.dbInstanceIdentifier("logexaminer-hms")).dbInstances().getFirst();
        assertEquals("postgres", db.engine());
        assertEquals("db.t4g.medium", db.dbInstanceClass());
        assertTrue(db.storageEncrypted());
        assertFalse(db.publiclyAccessible());
        assertEquals(List.of(database.groupId()), db.vpcSecurityGroups().stream().map(g -> g.vpcSecurityGroupId()).toList());
        assertEquals("logexaminer-hms-subnets", db.dbSubnetGroup().dbSubnetGroupName());
        JsonNode secret = JSON.readTree(aws.secretsManager().getSecretValue(r -> r.secretId(secretArn)).secretString());
        String password = secret.get("password").asText();
        assertEquals(32, password.length());
        assertTrue(password.matches("[A-Za-z0-9._~-]+"), "only characters RDS accepts");
        assertEquals("hive", secret.get("username").asText());
        assertEquals("metastore", secret.get("dbname").asText());
        assertEquals(db.endpoint().address(), secret.get("host").asText());
        assertEquals(db.endpoint().port(), secret.get("port").asInt());

        // ECR: the repositories as configured, and every image mirrored into the registry standing in for ECR's, digest
        // for digest.
        assertEquals(new TreeSet<>(REPOSITORIES), aws.ecr().describeRepositories().repositories().stream()
                .map(Repository::repositoryName).collect(Collectors.toCollection(TreeSet::new)));
        for (String name : REPOSITORIES) {
            Repository repo = aws.ecr().describeRepositories(r -> r.repositoryNames(name)).repositories().getFirst();
            assertTrue(repo.imageScanningConfiguration().scanOnPush(), name);
            assertEquals("IMMUTABLE", repo.imageTagMutabilityAsString(), name);
            assertEquals(JSON.readTree(EcrRepositories.lifecyclePolicyText(30)),
                    JSON.readTree(aws.ecr().getLifecyclePolicy(r -> r.repositoryName(name)).lifecyclePolicyText()), name);
            Map<String, String> repoTags = aws.ecr().listTagsForResource(r -> r.resourceArn(repo.repositoryArn())).tags().stream()
                    .collect(Collectors.toMap(software.amazon.awssdk.services.ecr.model.Tag::key, software.amazon.awssdk.services.ecr.model.Tag::value));
            assertEquals("logexaminer", repoTags.get(Platform.OWNER_TAG));
            assertEquals("ecr-repository/" + name, repoTags.get(Platform.LOGICAL_ID_TAG));
            assertEquals("data-platform", repoTags.get("team"));
        }
        images.images().forEach((target, pushed) -> assertEquals(pushed.digest(),
                TestImages.rawDigest(registry.host() + "/" + target, DockerRegistry.USER, DockerRegistry.PASSWORD), target));

        // The cluster's context, written into the file KUBECONFIG names once the cluster is active, and made current.
        JsonNode kube = new YAMLMapper().readTree(kubeconfig.toFile());
        assertEquals("logexaminer", kube.path("current-context").asText());
        assertEquals(cluster.endpoint(), kube.path("clusters").get(0).path("cluster").path("server").asText());
        assertTrue(first.err().contains("kubeconfig: wrote context logexaminer (" + cluster.endpoint() + ") to " + kubeconfig
                + "; it is now the current context"), first.err());

        // A second up: every resource it applies unchanged, not one mutating call, not one blob or manifest pushed. The
        // Kubernetes resources, which this build does not apply, are all that is left pending.
        AwsCallLog.reset();
        int logged = registryLog().length();
        CliRun second = up("-f", example, "-o", "json");
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals(Map.of(), AwsCallLog.mutating(), "a second up must not change anything");
        assertEquals(1, AwsCallLog.clientSets(), AwsCallLog.calls()::toString);
        assertOnlyKubernetesPending(second);
        String secondLog = registryLog().substring(logged);
        assertEquals(0, MirrorFixture.uploads(secondLog), secondLog);
        assertEquals(0, MirrorFixture.count(secondLog, "PUT", "/v2/\\S+/manifests/\\S+", 0), secondLog);
        System.out.println("no-change up: " + AwsCallLog.total() + " AWS calls " + AwsCallLog.calls());
        CliRun pending = up("-f", example, "--dry-run", "--detailed-exitcode");
        assertEquals(4, pending.exitCode(), "the Kubernetes resources are pending: " + pending);
        assertTrue(pending.err().contains("this build has no handler for them; nothing else is pending"), pending.err());

        // The password never reaches any output, even with debug logging.
        CliRun verbose = up("-f", example, "-vv");
        assertEquals(0, verbose.exitCode(), verbose::toString);
        for (CliRun run : List.of(first, second, verbose)) {
            assertFalse(run.all().contains(password), "the database password was printed");
        }
    }

    private Set<String> attached(String role) {
        return aws.iam().listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies().stream()
                .map(p -> p.policyArn().substring(p.policyArn().lastIndexOf('/') + 1)).collect(Collectors.toSet());
    }

    private static JsonNode decode(String document) throws Exception {
        return JSON.readTree(document.startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8));
    }

    private static Set<String> rules(SecurityGroup group) {
        Set<String> rules = new TreeSet<>();
        for (IpPermission p : group.ipPermissions()) {
            p.ipRanges().forEach(r -> rules.add(p.ipProtocol() + "/" + p.fromPort() + " from " + r.cidrIp()));
            p.userIdGroupPairs().forEach(g -> rules.add(p.ipProtocol() + "/" + p.fromPort() + " from " + g.groupId()));
        }
        return rules;
    }

    @Test
    void aDryRunReadsAwsAndTheRegistriesAndChangesNothing() throws Exception {
        String sourceLog = source.log();
        CliRun dry = up("-f", Fixtures.platformFile(demo()), "--dry-run", "--detailed-exitcode", "-o", "json");
        assertEquals(4, dry.exitCode(), dry::toString);
        assertTrue(dry.err().contains("account " + MotoServer.ACCOUNT + " ("), dry.err());
        assertTrue(AwsCallLog.calls().containsKey("Ecr:GetAuthorizationToken"), "the images were looked at with ECR's login: "
                + AwsCallLog.calls());
        assertEquals(1, AwsCallLog.clientSets(), "one set of AWS clients for the plan and the images");
        Map<String, JsonNode> byId = new HashMap<>();
        JSON.readTree(dry.out()).get("resources").forEach(r -> byId.put(r.get("id").asText(), r));
        assertEquals("create", byId.get("ecr-repository/data-platform/spark").get("action").asText());
        assertEquals("create", byId.get("image/data-platform/spark:3.5.1").get("action").asText());
        assertEquals(Map.of(), AwsCallLog.mutating());
        assertEquals(List.of(), aws.ecr().describeRepositories().repositories());
        // Images are looked at with HEAD requests only: no blob read from the source, nothing written to the target.
        assertEquals(6, MirrorFixture.count(registryLog(), "HEAD", "/v2/\\S+/manifests/\\S+", 404), registryLog());
        assertEquals(0, MirrorFixture.count(registryLog(), "(?:PUT|POST|PATCH|GET)", "/v2/\\S+", 0), registryLog());
        String sourceReads = source.log().substring(sourceLog.length());
        assertEquals(6, MirrorFixture.count(sourceReads, "HEAD", "/v2/\\S+/manifests/\\S+", 0), sourceReads);
        assertEquals(0, MirrorFixture.count(sourceReads, "GET", "/v2/\\S+/blobs/\\S+", 0), sourceReads);
        assertFalse(Files.exists(kubeconfig), "a dry run writes no kubeconfig");
    }

    @Test
    void driftAwsCanFixInPlaceIsPlannedAsUpdateAndApplied() throws Exception {
        String file = Fixtures.platformFile(demo());
        assertEquals(0, up("-f", file).exitCode());
        String bucket = "demo-iceberg-123456789012-eu-west-1";
        aws.s3().putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status("Suspended")));
        aws.s3().deletePublicAccessBlock(r -> r.bucket("demo-raw-123456789012-eu-west-1"));
        String vpcId = aws.ec2().describeVpcs(r -> r.filters(logicalId("vpc"))).vpcs().getFirst().vpcId();
        aws.ec2().createTags(r -> r.resources(vpcId).tags(t -> t.key(Platform.LOGICAL_ID_TAG).value("vpc"),
                t -> t.key(Platform.OWNER_TAG).value("demo")));
        aws.ec2().deleteTags(r -> r.resources(aws.ec2().describeSubnets(s -> s.filters(logicalId("subnet/public/eu-west-1a")))
                .subnets().getFirst().subnetId()).tags(t -> t.key("kubernetes.io/role/elb")));
        aws.eks().updateNodegroupConfig(r -> r.clusterName("demo").nodegroupName("executors").scalingConfig(s -> s.minSize(0).maxSize(5)
                .desiredSize(0)));
        String group = aws.ec2().describeSecurityGroups(r -> r.filters(logicalId("security-group/vpc-endpoints"))).securityGroups()
                .getFirst().groupId();
        aws.ec2().authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(p -> p.ipProtocol("tcp").fromPort(22).toPort(22)
                .ipRanges(i -> i.cidrIp("0.0.0.0/0"))));
        String spark = "data-platform/spark";
        aws.ecr().putImageScanningConfiguration(r -> r.repositoryName(spark).imageScanningConfiguration(s -> s.scanOnPush(false)));
        aws.ecr().putImageTagMutability(r -> r.repositoryName(spark).imageTagMutability("MUTABLE"));
        aws.ecr().deleteLifecyclePolicy(r -> r.repositoryName(spark));
        aws.ecr().untagResource(r -> r.resourceArn(aws.ecr().describeRepositories(d -> d.repositoryNames(spark)).repositories()
                .getFirst().repositoryArn()).tagKeys(Platform.LOGICAL_ID_TAG));
        registry.clear();

        CliRun dry = up("-f", file, "--dry-run", "-o", "json");
        assertEquals(0, dry.exitCode(), dry::toString);
        Map<String, JsonNode> byId = new HashMap<>();
        JSON.readTree(dry.out()).get("resources").forEach(r -> byId.put(r.get("id").asText(), r));
        assertEquals("update", byId.get("s3-bucket/iceberg").get("action").asText());
        assertTrue(byId.get("s3-bucket/iceberg").get("details").toString().contains("versioning"));
        assertTrue(byId.get("s3-bucket/raw").get("details").toString().contains("public access block"));
        assertTrue(byId.get("subnet/public/eu-west-1a").get("details").toString().contains("tags"));
        assertTrue(byId.get("eks-nodegroup/executors").get("details").toString().contains("max 5 -> 20"));
        assertTrue(byId.get("security-group/vpc-endpoints").get("details").toString().contains("revoke tcp/22 from 0.0.0.0/0"));
        assertEquals("noop", byId.get("vpc").get("action").asText());
        assertEquals("update", byId.get("ecr-repository/data-platform/spark").get("action").asText());
        assertEquals(List.of("scanOnPush false -> true", "tagMutability MUTABLE -> IMMUTABLE", "lifecycle policy none -> keep last 30",
                "tags " + Platform.LOGICAL_ID_TAG), JSON.convertValue(byId.get("ecr-repository/data-platform/spark").get("details"), List.class));
        assertEquals("noop", byId.get("ecr-repository/data-platform/hive").get("action").asText());
        assertEquals("create", byId.get("image/data-platform/hive:3.1.3").get("action").asText(), "an image gone from the registry");

        AwsCallLog.reset();
        CliRun fix = up("-f", file);
        assertEquals(0, fix.exitCode(), fix::toString);
        Repository fixed = aws.ecr().describeRepositories(r -> r.repositoryNames(spark)).repositories().getFirst();
        assertTrue(fixed.imageScanningConfiguration().scanOnPush());
        assertEquals("IMMUTABLE", fixed.imageTagMutabilityAsString());
        assertTrue(aws.ecr().getLifecyclePolicy(r -> r.repositoryName(spark)).lifecyclePolicyText().contains("\"countNumber\":30"));
        images.images().forEach((target, pushed) -> assertEquals(pushed.digest(),
                TestImages.rawDigest(registry.host() + "/" + target, DockerRegistry.USER, DockerRegistry.PASSWORD), target));
        assertEquals("Enabled", aws.s3().getBucketVersioning(r -> r.bucket(bucket)).statusAsString());
        assertEquals(20, aws.eks().describeNodegroup(r -> r.clusterName("demo").nodegroupName("executors")).nodegroup()
                .scalingConfig().maxSize());
        assertEquals(Set.of("tcp/443 from 10.0.0.0/16"),
                rules(aws.ec2().describeSecurityGroups(r -> r.groupIds(group)).securityGroups().getFirst()));
        AwsCallLog.reset();
        assertEquals(0, up("-f", file).exitCode());
        assertEquals(Map.of(), AwsCallLog.mutating(), "drift fixed once and for all");
    }

    @Test
    void anEndpointTakenOffTheListIsDeletedAndAnotherNatModeReplacesTheGateways() throws Exception {
        assertEquals(0, up("-f", Fixtures.platformFile(demo())).exitCode());
        String fewer = Fixtures.platformFile(demo() + "network:\n  natGateway: perAz\n  endpoints: [s3, secretsmanager, ecr.api, ecr.dkr]\n");
        CliRun dry = up("-f", fewer, "--dry-run");
        assertEquals(0, dry.exitCode(), dry::toString);
        assertTrue(dry.out().matches("(?s).*- delete +vpc-endpoint/sts .*"), dry.out());
        assertTrue(dry.out().matches("(?s).*\\+ create +nat-gateway/eu-west-1b .*"), dry.out());
        CliRun applied = up("-f", fewer);
        assertEquals(0, applied.exitCode(), applied::toString);
        assertTrue(aws.ec2().describeVpcEndpoints(r -> r.filters(logicalId("vpc-endpoint/sts"))).vpcEndpoints().stream()
                .allMatch(e -> e.stateAsString().equalsIgnoreCase("deleted")), "the sts endpoint is gone");
        // moto ignores tag filters on NAT gateways: pick it by its tags here.
        String natB = aws.ec2().describeNatGateways(r -> r.filter(Filter.builder().name("vpc-id").values(vpc()).build())).natGateways()
                .stream().filter(n -> "nat-gateway/eu-west-1b".equals(tags(n.tags()).get(Platform.LOGICAL_ID_TAG))).findFirst()
                .orElseThrow().natGatewayId();
        assertTrue(aws.ec2().describeRouteTables(r -> r.filters(logicalId("route-table/private/eu-west-1b"))).routeTables().getFirst()
                .routes().stream().anyMatch(r -> natB.equals(r.natGatewayId())), "each zone routes through its own NAT gateway");

        String none = Fixtures.platformFile(demo() + "network:\n  natGateway: none\n");
        CliRun withoutNat = up("-f", none);
        assertEquals(0, withoutNat.exitCode(), withoutNat::toString);
        assertTrue(aws.ec2().describeNatGateways(r -> r.filter(Filter.builder().name("vpc-id").values(vpc()).build()))
                .natGateways().stream().allMatch(n -> n.stateAsString().startsWith("delet")));
        assertTrue(aws.ec2().describeAddresses(r -> r.filters(Filter.builder().name("tag:" + Platform.OWNER_TAG).values("demo").build()))
                .addresses().isEmpty(), "their Elastic IPs are released");
        assertTrue(aws.ec2().describeRouteTables(r -> r.filters(logicalId("route-table/private/eu-west-1a"))).routeTables().getFirst()
                .routes().stream().noneMatch(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())));
        AwsCallLog.reset();
        assertEquals(0, up("-f", none).exitCode());
        assertEquals(Map.of(), AwsCallLog.mutating());
    }

    private String vpc() {
        return aws.ec2().describeVpcs(r -> r.filters(logicalId("vpc"))).vpcs().getFirst().vpcId();
    }

    @Test
    void changesAwsCannotMakeInPlaceAreRefusedBeforeAnyWrite() {
        assertEquals(0, up("-f", Fixtures.platformFile(demo())).exitCode());
        String other = Fixtures.platformFile(demo() + "network:\n  vpcCidr: 10.1.0.0/16\n");
        AwsCallLog.reset();
        CliRun r = up("-f", other);
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().contains("vpc: CIDR is 10.0.0.0/16, platform.yaml says 10.1.0.0/16"), r.err());
        assertTrue(r.err().contains("run down and then up"), r.err());
        assertEquals(Map.of(), AwsCallLog.mutating());

        // A target tag that holds another image: an immutable tag cannot be moved, a mutable one is copied over.
        String spark = "data-platform/spark:3.5.1";
        new TestImages(work).loggedIn(DockerRegistry.USER, DockerRegistry.PASSWORD).push(registry.host(), spark, TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(99, 1024)));
        CliRun immutable = up("-f", Fixtures.platformFile(demo()));
        assertEquals(3, immutable.exitCode(), immutable::toString);
        assertTrue(immutable.err().matches("(?s).*image/" + spark + ": " + spark + " holds sha256:\\w{12}, the source sha256:\\w{12}; "
                + "ecr.tagMutability is IMMUTABLE, so give the image another target tag in platform.yaml.*"), immutable.err());
        assertEquals(Map.of(), AwsCallLog.mutating());
        CliRun mutable = up("-f", Fixtures.platformFile(demo() + "ecr:\n  tagMutability: MUTABLE\n"));
        assertEquals(0, mutable.exitCode(), mutable::toString);
        assertEquals(images.images().get(spark).digest(),
                TestImages.rawDigest(registry.host() + "/" + spark, DockerRegistry.USER, DockerRegistry.PASSWORD));
    }

    @Test
    void resourcesWithThePlatformsNamesButNotItsTagAreNeverTouched() {
        aws.s3().createBucket(r -> r.bucket("demo-raw-123456789012-eu-west-1").createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        aws.iam().createRole(r -> r.roleName("demo-eu-west-1-eks-cluster").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[]}"));
        aws.ecr().createRepository(r -> r.repositoryName("data-platform/hive").imageTagMutability("MUTABLE"));
        AwsCallLog.reset();
        CliRun r = up("-f", Fixtures.platformFile(demo()));
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().contains("s3-bucket/raw: bucket demo-raw-123456789012-eu-west-1 exists without the tag logexaminer.io/platform=demo"),
                r.err());
        assertTrue(r.err().contains("iam-role/eks-cluster: IAM role demo-eu-west-1-eks-cluster exists without the tag"), r.err());
        assertTrue(r.err().contains("ecr-repository/data-platform/hive: ECR repository data-platform/hive exists without the tag "
                + "logexaminer.io/platform=demo: it is not this platform's and is left alone; rename it in platform.yaml, or tag it"), r.err());
        assertEquals(Map.of(), AwsCallLog.mutating(), "nothing is written when something is in the way");
        assertEquals(0, MirrorFixture.uploads(registryLog()), "no image is copied either");
        assertEquals("MUTABLE", aws.ecr().describeRepositories(d -> d.repositoryNames("data-platform/hive")).repositories().getFirst()
                .imageTagMutabilityAsString());
        assertEquals(404, org.junit.jupiter.api.Assertions.assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                () -> aws.s3().getBucketTagging(b -> b.bucket("demo-raw-123456789012-eu-west-1"))).statusCode(), "still untagged");
    }
}
