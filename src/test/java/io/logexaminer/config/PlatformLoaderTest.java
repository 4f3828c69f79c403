package io.logexaminer.config;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlatformLoaderTest {

    private static Platform load(String yaml) {
        return PlatformLoader.parse("platform.yaml", yaml, Optional.empty()).platform();
    }

    private static List<String> errors(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> PlatformLoader.parse("platform.yaml", yaml, Optional.empty()));
        return e.problems().stream().map(Problem::toString).toList();
    }

    private static void assertHas(List<String> lines, String expected) {
        assertTrue(lines.contains(expected), () -> "expected line\n  " + expected + "\nin\n  " + String.join("\n  ", lines));
    }

    @Test
    void exampleLoadsWithoutWarnings() {
        PlatformLoader.Loaded loaded = PlatformLoader.load(TestPaths.example(), new ByteArrayInputStream(new byte[0]), Optional.empty());
        Platform p = loaded.platform();
        assertEquals("logexaminer", p.name());
        assertEquals("eu-west-1", p.region());
        assertEquals(List.of(), loaded.warnings());
        assertEquals(6, p.images().size());
        assertEquals(Platform.NatGateway.SINGLE, p.network().natGateway());
        assertEquals(Platform.CapacityType.SPOT, p.eks().nodeGroup("executors").orElseThrow().capacityType());
    }

    @Test
    void minimalFileGetsTheWholePlatformFromDefaults() {
        Platform p = load("name: demo\nregion: us-east-2\n");
        assertEquals("10.0.0.0/16", p.network().vpcCidr());
        assertEquals(List.of("us-east-2a", "us-east-2b"), p.network().availabilityZones());
        assertEquals(List.of(new Platform.Subnet("us-east-2a", "10.0.0.0/20"), new Platform.Subnet("us-east-2b", "10.0.16.0/20")),
                p.network().publicSubnets());
        assertEquals(List.of(new Platform.Subnet("us-east-2a", "10.0.64.0/18"), new Platform.Subnet("us-east-2b", "10.0.128.0/18")),
                p.network().privateSubnets());
        assertEquals(5, p.network().endpoints().size());
        assertEquals("1.33", p.eks().version());
        Platform.NodeGroup executors = p.eks().nodeGroup("executors").orElseThrow();
        assertEquals(Platform.CapacityType.SPOT, executors.capacityType());
        assertTrue(executors.instanceTypes().size() > 1);
        assertEquals(List.of(new Platform.Taint("role", "executors", Platform.TaintEffect.NO_SCHEDULE)), executors.taints());
        assertEquals("system", p.eks().nodeGroup("system").orElseThrow().labels().get("role"));
        assertEquals("demo-raw-{accountId}-{region}", p.storage().rawBucket().name());
        assertEquals(30, p.storage().rawBucket().transitionToIaDays());
        assertEquals("logexaminer/demo/hms-db", p.database().secretName());
        assertEquals(Defaults.IMAGES, p.images());
        assertTrue(p.ecr().repositories().containsAll(List.of("data-platform/spark", "data-platform/hive", "data-platform/spark-operator")));
        assertEquals("spark", p.spark().namespace());
        assertEquals("3.5.1", p.spark().sparkVersion());
    }

    @Test
    void regionFlagOverridesTheFile() {
        Platform p = PlatformLoader.parse("f.yaml", "name: demo\nregion: us-east-2\n", Optional.of("eu-central-1")).platform();
        assertEquals("eu-central-1", p.region());
        assertEquals("eu-central-1a", p.network().availabilityZones().getFirst());
    }

    @Test
    void unknownKeyNamesFileLinePathAndSuggestion() {
        List<String> e = errors("""
                name: demo
                region: us-east-2
                network:
                  vpcCidr: 10.0.0.0/16
                  natGateways: single
                """);
        assertEquals(List.of("platform.yaml:5: network.natGateways: unknown key (did you mean 'natGateway'?)"), e);
    }

    @Test
    void everyProblemIsReportedAtOnceInLineOrder() {
        List<String> e = errors("""
                name: demo
                region: us-east-2
                colour: blue
                eks:
                  version: "1.12"
                  nodeGroups:
                    - name: system
                      minSize: 3
                      desiredSize: 2
                      maxSize: 1
                database:
                  allocatedStorageGiB: lots
                """);
        assertHas(e, "platform.yaml:3: colour: unknown key (expected one of: name, region, tags, network, images, eks, storage, database, ecr, kubernetes, spark)");
        assertHas(e, "platform.yaml:12: database.allocatedStorageGiB: expected an integer, found a string 'lots'");
        assertEquals(2, e.size(), () -> String.join("\n", e));
    }

    @Test
    void semanticChecksRunWhenTheShapeIsRight() {
        List<String> e = errors("""
                name: demo
                region: us-east-2
                network:
                  vpcCidr: 10.0.0.0/16
                  availabilityZones: [us-east-2a, us-east-2b]
                  publicSubnets:
                    - {availabilityZone: us-east-2a, cidr: 10.0.0.0/24}
                    - {availabilityZone: us-east-2b, cidr: 10.0.0.128/25}
                  privateSubnets:
                    - {availabilityZone: us-east-2a, cidr: 10.0.64.0/18}
                    - {availabilityZone: us-east-2a, cidr: 10.1.20.0/24}
                eks:
                  version: "1.12"
                  nodeGroups:
                    - name: system
                      minSize: 3
                      desiredSize: 2
                      maxSize: 1
                    - name: executors
                      capacityType: SPOT
                      instanceTypes: [m5.xlarge]
                """);
        assertHas(e, "platform.yaml:8: network.publicSubnets[1].cidr: 10.0.0.128/25 overlaps 10.0.0.0/24 (network.publicSubnets[0])");
        assertHas(e, "platform.yaml:11: network.privateSubnets[1].cidr: 10.1.20.0/24 is outside vpcCidr 10.0.0.0/16");
        assertHas(e, "platform.yaml:11: network.privateSubnets[1].availabilityZone: a second privateSubnets entry in us-east-2a (first: privateSubnets[0]); give one subnet per zone");
        assertHas(e, "platform.yaml:9: network.privateSubnets: no subnet in us-east-2b; give one subnet per availability zone");
        assertTrue(e.stream().anyMatch(l -> l.startsWith("platform.yaml:13: eks.version: '1.12' is not a supported EKS version")), e::toString);
        assertHas(e, "platform.yaml:17: eks.nodeGroups[0].desiredSize: need minSize <= desiredSize <= maxSize; found 3 <= 2 <= 1");
    }

    @Test
    void spotGroupWithOneInstanceTypeIsAWarningNotAnError() {
        PlatformLoader.Loaded loaded = PlatformLoader.parse("platform.yaml", """
                name: demo
                region: us-east-2
                eks:
                  nodeGroups:
                    - name: system
                    - name: executors
                      instanceTypes: [m5.xlarge]
                """, Optional.empty());
        assertEquals(List.of("platform.yaml:7: eks.nodeGroups[1].instanceTypes: warning: a spot group with one instance type is often short of capacity; list several"),
                loaded.warnings().stream().map(Problem::toString).toList());
    }

    @Test
    void awsNamingRulesAreChecked() {
        List<String> e = errors("""
                name: a-platform-name-that-is-long-xy
                region: ap-southeast-2
                storage:
                  rawBucket:
                    name: Raw_Bucket
                  icebergBucket:
                    name: "{accountId}-{region}-iceberg-with-a-name-that-is-far-too-long-xx"
                database:
                  identifier: 1hms
                """);
        assertHas(e, "platform.yaml:1: name: IAM role names such as a-platform-name-that-is-long-xy-ap-southeast-2-cluster-autoscaler would be 65 characters; IAM allows 64: shorten the platform name");
        assertHas(e, "platform.yaml:5: storage.rawBucket.name: 'Raw_Bucket' is not a valid S3 bucket name: only lowercase letters, digits, '.' and '-', starting and ending with a letter or digit");
        assertHas(e, "platform.yaml:7: storage.icebergBucket.name: '{accountId}-{region}-iceberg-with-a-name-that-is-far-too-long-xx' is not a valid S3 bucket name: it must be 3 to 63 characters long (it is 71) (with {accountId} and {region} filled in)");
        assertHas(e, "platform.yaml:9: database.identifier: '1hms' must be 1 to 63 letters, digits or single hyphens, starting with a letter");
    }

    @Test
    void imagesMustParseHaveUniqueTargetsAndBeMirroredForComponents() {
        List<String> e = errors("""
                name: demo
                region: us-east-2
                images:
                  - {source: "docker.io/Apache/spark:3.5.1", target: data-platform/spark:3.5.1}
                  - {source: docker.io/apache/spark:3.5.1, target: data-platform/spark:3.5.1}
                  - {source: docker.io/apache/hive:3.1.3, target: "registry.example.com/hive:3.1.3"}
                """);
        assertHas(e, "platform.yaml:4: images[0].source: 'docker.io/Apache/spark:3.5.1' is not an image reference: repository 'Apache/spark' is not valid (lowercase letters, digits and separators)");
        assertHas(e, "platform.yaml:5: images[1].target: data-platform/spark:3.5.1 is already the target of images[0]");
        assertHas(e, "platform.yaml:6: images[2].target: 'registry.example.com/hive:3.1.3' must be REPOSITORY:TAG in the platform's ECR registry, with no registry host or digest");
        assertTrue(e.stream().anyMatch(l -> l.contains("kubernetes.clickhouse.image: data-platform/clickhouse:24.8 is not mirrored")), e::toString);
    }

    @Test
    void malformedYamlIsOneLineWithItsLine() {
        List<String> e = errors("name: demo\nregion: [us-east-2\nnetwork: {}\n");
        assertEquals(1, e.size());
        assertTrue(e.getFirst().startsWith("platform.yaml:"), e::toString);
        assertTrue(e.getFirst().contains("not valid YAML"), e::toString);
        assertFalse(e.getFirst().contains("\n"));
    }

    @Test
    void wrongTypesAndDuplicateKeysAreReported() {
        List<String> e = errors("""
                name: demo
                region: us-east-2
                name: other
                eks:
                  endpointPublicAccess: maybe
                  nodeGroups: system
                """);
        assertHas(e, "platform.yaml:3: name: duplicate key (first at line 1)");
        assertHas(e, "platform.yaml:5: eks.endpointPublicAccess: expected true or false, found a string 'maybe'");
        assertHas(e, "platform.yaml:6: eks.nodeGroups: expected a list, found a string");
    }

    @Test
    void missingNameAndRegionAreRequired() {
        List<String> e = errors("network: {}\n");
        assertHas(e, "platform.yaml:1: name: is required");
        assertHas(e, "platform.yaml:1: region: is required");
    }

    @Test
    void missingFileNamesThePathItLookedAt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PlatformLoader.load("no/such/platform.yaml", new ByteArrayInputStream(new byte[0]), Optional.empty()));
        String abs = Path.of("no/such/platform.yaml").toAbsolutePath().normalize().toString();
        assertEquals("no/such/platform.yaml:1: no such file (looked at " + abs + "; use -f FILE to name another)", e.getMessage());
    }

    @Test
    void stdinIsReadWhenTheFileIsDash() {
        PlatformLoader.Loaded loaded = PlatformLoader.load("-", new ByteArrayInputStream("name: piped\nregion: us-west-2\n".getBytes()), Optional.empty());
        assertEquals("piped", loaded.platform().name());
        assertEquals("<stdin>", loaded.source());
    }
}
