package io.logexaminer.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.config.Platform;
import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.CliRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code down} against moto server: what the platform owns goes, in order; everything else, and data by default, stays. */
class DownTest extends AgainstMoto {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RAW = "demo-raw-123456789012-eu-west-1";
    private static final String ICEBERG = "demo-iceberg-123456789012-eu-west-1";
    private static final String SPARK = "data-platform/spark";

    private String file;

    @BeforeEach
    void upFirst() throws Exception {
        file = Fixtures.platformFile(demo());
        CliRun up = up("-f", file);
        assertEquals(0, up.exitCode(), up::toString);
        AwsCallLog.reset();
    }

    private CliRun down(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "down";
        all[1] = "-f";
        all[2] = file;
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.run(env, "", all);
    }

    private String subnet(String logicalId) {
        return aws.ec2().describeSubnets(r -> r.filters(Filter.builder().name("tag:" + Platform.LOGICAL_ID_TAG).values(logicalId).build()))
                .subnets().getFirst().subnetId();
    }

    @Test
    void downDeletesEverythingThePlatformOwnsAndWhatEksLeftButNoLookAlike() {
        String vpc = aws.ec2().describeVpcs(r -> r.filters(Filter.builder().name("tag:" + Platform.LOGICAL_ID_TAG).values("vpc").build()))
                .vpcs().getFirst().vpcId();
        // What the cluster's load balancer controller and VPC CNI would leave behind, tagged for the cluster.
        String lb = aws.elbv2().createLoadBalancer(r -> r.name("k8s-spark-ui").subnets(subnet("subnet/public/eu-west-1a"),
                subnet("subnet/public/eu-west-1b")).tags(t -> t.key("kubernetes.io/cluster/demo").value("owned")))
                .loadBalancers().getFirst().loadBalancerArn();
        String eni = aws.ec2().createNetworkInterface(r -> r.subnetId(subnet("subnet/private/eu-west-1a"))
                .tagSpecifications(t -> t.resourceType(ResourceType.NETWORK_INTERFACE).tags(g -> g.key("cluster.k8s.amazonaws.com/name").value("demo"))))
                .networkInterface().networkInterfaceId();
        String k8sGroup = aws.ec2().createSecurityGroup(r -> r.groupName("k8s-elb-spark-ui").description("k8s").vpcId(vpc)
                .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP).tags(g -> g.key("kubernetes.io/cluster/demo").value("owned"))))
                .groupId();
        // Look-alikes: same CIDR, same name prefixes, but not tagged as the platform's.
        String otherVpc = aws.ec2().createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        aws.iam().createRole(r -> r.roleName("demo-eu-west-1-extra").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[]}"));
        aws.s3().createBucket(r -> r.bucket("demo-raw-look-alike").createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        aws.secretsManager().createSecret(r -> r.name("logexaminer/demo/other").secretString("{}"));
        aws.ecr().createRepository(r -> r.repositoryName("data-platform/other"));
        AwsCallLog.reset();

        CliRun dry = down("--dry-run");
        assertEquals(0, dry.exitCode(), dry::toString);
        assertTrue(dry.out().contains("- delete  eks-leftovers"), dry.out());
        assertTrue(dry.out().contains("1 load balancers, 1 network interfaces, 1 security groups tagged kubernetes.io/cluster/demo"), dry.out());
        assertEquals(Map.of(), AwsCallLog.mutating(), "a dry run deletes nothing");

        CliRun r = down("--yes");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("everything platform demo owned is gone"), r.err());
        assertEquals(Map.of(), Fixtures.ownedEc2(aws, "demo"), "no EC2 resource with the platform's tag is left");
        assertTrue(aws.ec2().describeNatGateways(n -> n.filter(Filter.builder().name("vpc-id").values(vpc).build())).natGateways().stream()
                .allMatch(n -> n.stateAsString().equals("deleted")));
        assertThrows(ResourceNotFoundException.class, () -> aws.eks().describeCluster(c -> c.name("demo")));
        assertEquals(Map.of(), proxy.addons().of("demo"));
        assertEquals(List.of("demo-eu-west-1-extra"), aws.iam().listRoles().roles().stream().map(x -> x.roleName())
                .filter(n -> n.startsWith("demo-")).toList());
        assertTrue(aws.iam().listOpenIDConnectProviders().openIDConnectProviderList().isEmpty());
        assertThrows(NoSuchBucketException.class, () -> aws.s3().headBucket(b -> b.bucket(RAW)));
        assertThrows(NoSuchBucketException.class, () -> aws.s3().headBucket(b -> b.bucket(ICEBERG)));
        assertTrue(aws.rds().describeDBInstances().dbInstances().isEmpty());
        List<DBSnapshot> snapshots = aws.rds().describeDBSnapshots(s -> s.dbInstanceIdentifier("demo-hms")).dbSnapshots();
        assertEquals(1, snapshots.size());
        assertTrue(snapshots.getFirst().dbSnapshotIdentifier().startsWith("demo-hms-final-"));
        assertNotNull(aws.secretsManager().describeSecret(s -> s.secretId("logexaminer/demo/hms-db")).deletedDate(),
                "the secret stays recoverable");
        assertTrue(aws.elbv2().describeLoadBalancers().loadBalancers().stream().noneMatch(x -> x.loadBalancerArn().equals(lb)));
        assertTrue(aws.ec2().describeNetworkInterfaces().networkInterfaces().stream().noneMatch(x -> x.networkInterfaceId().equals(eni)));
        assertTrue(aws.ec2().describeSecurityGroups().securityGroups().stream().noneMatch(g -> g.groupId().equals(k8sGroup)));

        assertEquals(1, aws.ec2().describeVpcs(v -> v.vpcIds(otherVpc)).vpcs().size(), "the look-alike VPC stays");
        aws.s3().headBucket(b -> b.bucket("demo-raw-look-alike"));
        assertEquals(null, aws.secretsManager().describeSecret(s -> s.secretId("logexaminer/demo/other")).deletedDate());
        assertEquals(List.of("data-platform/other"), aws.ecr().describeRepositories().repositories().stream()
                .map(x -> x.repositoryName()).toList(), "the platform's repositories are gone, the look-alike stays");

        AwsCallLog.reset();
        CliRun again = down("--yes");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.err().contains("nothing of platform demo to delete"), again.err());
        assertEquals(Map.of(), AwsCallLog.mutating());
    }

    @Test
    void aBucketOrARepositoryThatHoldsDataIsKeptUnlessDeleteData() {
        aws.s3().putObject(p -> p.bucket(RAW).key("events/1.json"), RequestBody.fromString("{}"));
        aws.s3().putObject(p -> p.bucket(RAW).key("events/1.json"), RequestBody.fromString("{\"v\":2}"));
        aws.ecr().putImage(r -> r.repositoryName(SPARK).imageTag("1").imageManifest(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}"));

        CliRun plan = down("--dry-run");
        assertTrue(plan.out().contains("bucket " + RAW + " holds 2 object versions: kept (down --delete-data deletes every version)"),
                plan.out());
        assertTrue(plan.out().contains("ECR repository " + SPARK + " holds 1 image: kept (down --delete-data deletes it with its images)"),
                plan.out());
        assertTrue(down("--dry-run", "--delete-data").out().contains("holds 1 image: deleted with it (--delete-data)"));
        CliRun kept = down("--yes");
        assertEquals(3, kept.exitCode(), kept::toString);
        assertTrue(kept.err().contains("kept s3-bucket/raw: bucket " + RAW + " holds 2 object versions"), kept.err());
        assertTrue(kept.err().contains("kept ecr-repository/" + SPARK + ": ECR repository " + SPARK + " holds 1 image"), kept.err());
        assertTrue(kept.err().contains("down kept 2 resource(s) that hold data"), kept.err());
        aws.s3().headBucket(b -> b.bucket(RAW));
        assertEquals(List.of(SPARK), aws.ecr().describeRepositories().repositories().stream().map(x -> x.repositoryName()).toList(),
                "the empty repositories are gone");
        assertThrows(NoSuchBucketException.class, () -> aws.s3().headBucket(b -> b.bucket(ICEBERG)));
        assertTrue(aws.ec2().describeVpcs(v -> v.filters(Filter.builder().name("tag:" + Platform.OWNER_TAG).values("demo").build()))
                .vpcs().isEmpty(), "everything else is gone");

        CliRun all = down("--yes", "--delete-data");
        assertEquals(0, all.exitCode(), all::toString);
        assertThrows(NoSuchBucketException.class, () -> aws.s3().headBucket(b -> b.bucket(RAW)));
        assertEquals(List.of(), aws.ecr().describeRepositories().repositories());
    }

    @Test
    void deleteDataAndSkipFinalSnapshotLeaveNothingBehind() {
        CliRun r = down("--yes", "--delete-data", "--skip-final-snapshot", "-o", "json");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(aws.rds().describeDBSnapshots(s -> s.dbInstanceIdentifier("demo-hms")).dbSnapshots().isEmpty());
        assertThrows(software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException.class,
                () -> aws.secretsManager().describeSecret(s -> s.secretId("logexaminer/demo/hms-db")));
    }

    @Test
    void withoutATerminalDownNeedsYesAndChangesNothingWithoutIt() throws Exception {
        CliRun refused = down();
        assertEquals(2, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("pass --yes"), refused.err());
        assertEquals(0, AwsCallLog.total(), "refused before any AWS call");

        CliRun plan = down("--dry-run", "-o", "json");
        assertEquals(0, plan.exitCode(), plan::toString);
        JsonNode doc = JSON.readTree(plan.out());
        assertEquals("demo", doc.get("platform").asText());
        assertEquals(38 + 6, doc.get("summary").get("delete").asInt(), "the AWS resources and the six ECR repositories");
        List<String> order = new java.util.ArrayList<>();
        doc.get("resources").forEach(x -> order.add(x.get("id").asText()));
        assertTrue(order.indexOf("eks-nodegroup/system") < order.indexOf("eks-cluster"));
        assertTrue(order.indexOf("eks-cluster") < order.indexOf("eks-leftovers"));
        assertTrue(order.indexOf("eks-leftovers") < order.indexOf("subnet/private/eu-west-1a"));
        assertTrue(order.indexOf("subnet/private/eu-west-1a") < order.indexOf("vpc"));
        assertEquals(Map.of(), AwsCallLog.mutating());
    }

    @Test
    void onATerminalDownAsksForThePlatformName() {
        Map<String, String> terminal = new java.util.HashMap<>(env);
        terminal.put("NO_COLOR", "1");
        CliRun no = CliRun.runOnTerminal(terminal, "prod\n", "down", "-f", file);
        assertEquals(1, no.exitCode(), no::toString);
        assertTrue(no.err().contains("Type the platform name to confirm"), no.err());
        assertTrue(no.err().contains("not confirmed: nothing was deleted"), no.err());
        assertEquals(Map.of(), AwsCallLog.mutating());

        CliRun yes = CliRun.runOnTerminal(terminal, "demo\n", "down", "-f", file);
        assertEquals(0, yes.exitCode(), yes::toString);
        assertFalse(Fixtures.ownedEc2(aws, "demo").containsKey("vpc"));
    }
}
