package io.logexaminer.cli;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsSettings;
import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.AwsProxy;
import io.logexaminer.testing.ClickHouseServer;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.KubernetesTestCluster;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.ToolProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code query} without {@code --endpoint}: its own port-forward through the test cluster (named by a kubeconfig, or
 * as the platform's EKS cluster) to the platform's ClickHouse service (whose pod is the chdb server), with the password
 * read from where platform.yaml keeps it.
 */
@Timeout(120)
class QueryThroughClusterTest {
    @RegisterExtension
    static final KubernetesTestCluster cluster = new KubernetesTestCluster(true);
    @RegisterExtension
    static final ClickHouseServer clickhouse = new ClickHouseServer();
    @RegisterExtension
    static final MotoServer moto = new MotoServer();

    private static final String SECRET_ID = "logexaminer/test/clickhouse";

    @TempDir
    static Path dir;
    static Path kubeconfig;

    @BeforeAll
    static void platformClickHouse() {
        kubeconfig = cluster.writeKubeconfig(dir);
        cluster.runPod("clickhouse", "clickhouse-0", Map.of("app", "clickhouse"), Map.of("http", 8123, "native", 9000));
        cluster.route("clickhouse", "clickhouse-0", 8123, clickhouse.address());
        cluster.createService("clickhouse", "clickhouse", Map.of("app", "clickhouse"), "http=8123:http", "native=9000:native");
        secret("clickhouse-auth", Map.of("password", ClickHouseServer.PASSWORD, "other", "x"));
        try (SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(URI.create(moto.endpoint()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY))).build()) {
            secrets.createSecret(r -> r.name(SECRET_ID).secretString("{\"user\":\"default\",\"password\":\""
                    + ClickHouseServer.PASSWORD + "\"}"));
        }
    }

    private static void secret(String name, Map<String, String> values) {
        Map<String, String> data = new HashMap<>();
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        cluster.client().secrets().inNamespace("clickhouse").resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace("clickhouse").endMetadata().withData(data).build()).createOr(r -> r.update());
    }

    private static Path platform(String name, String credentials) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "name: test\nregion: us-east-1\nkubernetes:\n  clickhouse:\n    credentials:\n" + credentials);
        return file;
    }

    /** The tool with the test cluster's kubeconfig, no ClickHouse password in the environment. */
    private static CliRun query(Map<String, String> environment, String... args) {
        List<String> all = new ArrayList<>(List.of("query", "--kubeconfig", kubeconfig.toString()));
        all.addAll(List.of(args));
        CliRun run = CliRun.run(environment, "", all.toArray(String[]::new));
        assertFalse(run.all().contains(ClickHouseServer.PASSWORD), "the password was printed");
        return run;
    }

    @Test
    void aQueryThroughItsOwnForwardStartsNoIoPoller() throws Exception {
        ToolProcess.Watched run = ToolProcess.runWatchingThreads(List.of("query", "--kubeconfig", kubeconfig.toString(), "-f",
                dir.resolve("no-platform.yaml").toString(), "SELECT 1"), Map.of());
        assertEquals(0, run.exitCode(), run.stderr());
        assertFalse(run.startedPoller(), "an I/O poller thread was started, which holds the exit 0.3 s: " + run.threads());
    }

    @Test
    void opensItsOwnForwardAndReadsThePasswordFromTheKubernetesSecret() {
        CliRun run = query(Map.of(), "-f", dir.resolve("no-platform.yaml").toString(), "SELECT 40 + 2 AS answer; SELECT currentUser() AS u");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("answer\n42\nu\ndefault\n", run.out());
    }

    @Test
    void readsThePasswordFromSecretsManagerWhenPlatformYamlSaysSo() throws Exception {
        Path platform = platform("sm.yaml", "      source: secretsManager\n      secretName: " + SECRET_ID + "\n      key: password\n");
        CliRun run = query(moto.environment(), "-f", platform.toString(), "--format", "csv", "SELECT 'sm' AS via");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("\"via\"\r\n\"sm\"\r\n", run.out());
    }

    @Test
    void throughThePlatformsEksClusterThePasswordIsReadWithTheClientsOfTheClustersConnection() throws Exception {
        try (AwsClients clients = new AwsClients(new AwsSettings("us-east-1", Optional.empty(), moto.environment()));
             AwsProxy proxy = new AwsProxy(moto.endpoint())) {
            clients.eks().createCluster(r -> r.name("test").roleArn("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-1", "subnet-2")));
            // moto's cluster as the test cluster: its API server and the CA of its certificate.
            proxy.rewrite("eks:DescribeCluster", "(?s)\"endpoint\": \"[^\"]*\"(.*)\"certificateAuthority\": \\{\"data\": \"[^\"]*\"\\}",
                    Matcher.quoteReplacement("\"endpoint\": \"" + cluster.url() + "\"") + "$1"
                            + Matcher.quoteReplacement("\"certificateAuthority\": {\"data\": \"" + cluster.certificateAuthority() + "\"}"), 1);
            Path platform = platform("sm-eks.yaml", "      source: secretsManager\n      secretName: " + SECRET_ID + "\n      key: password\n");
            AwsCallLog.reset();
            CliRun run = CliRun.run(proxy.environment(moto.environment()), "", "query", "-f", platform.toString(), "SELECT 'eks' AS via");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals("via\neks\n", run.out());
            assertEquals(Set.of("Eks:DescribeCluster", "SecretsManager:GetSecretValue"), AwsCallLog.calls().keySet());
            assertEquals(1, AwsCallLog.clientSets(), "one set of AWS clients for the cluster and the secret");
            assertFalse(run.all().contains(ClickHouseServer.PASSWORD), "the password was printed");
        }
    }

    @Test
    void aMissingKeyIsOneLineNamingTheSecretButNotItsValues() throws Exception {
        Path platform = platform("wrong-key.yaml", "      key: pass\n");
        CliRun run = query(Map.of(), "-f", platform.toString(), "SELECT 1");
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("error: secret clickhouse/clickhouse-auth has no key pass (it has: other, password)\n", run.err());
    }

    @Test
    void anotherUserLogsInWithThePasswordFromTheEnvironment() {
        CliRun run = query(clickhouse.environment(), "-f", dir.resolve("no-platform.yaml").toString(), "--user", "default",
                "SELECT 1 AS one");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("one\n1\n", run.out());
        CliRun wrong = query(Map.of("CLICKHOUSE_PASSWORD", "wrong"), "-f", dir.resolve("no-platform.yaml").toString(),
                "--user", "default", "SELECT 1");
        assertEquals(1, wrong.exitCode(), wrong::toString);
        assertTrue(wrong.err().startsWith("error: Code: 516. "), wrong.err());
    }

    @Test
    void endpointAndAClusterDoNotGoTogether() {
        CliRun run = query(clickhouse.environment(), "--endpoint", clickhouse.endpoint(), "SELECT 1");
        assertEquals(2, run.exitCode(), run::toString);
    }
}
