package io.logexaminer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsSettings;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.MotoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eks-token} and {@code kubeconfig} against moto server. */
class ClusterAccessCommandsTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();

    private static final String REGION = "eu-west-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void createCluster() {
        try (AwsClients clients = new AwsClients(new AwsSettings(REGION, Optional.empty(), moto.environment()))) {
            clients.eks().createCluster(r -> r.name("lake").roleArn("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-1", "subnet-2")));
        }
    }

    private Path platformYaml() throws Exception {
        Path file = dir.resolve("platform.yaml");
        Files.writeString(file, "name: lake\nregion: " + REGION + "\n");
        return file;
    }

    @Test
    void eksTokenPrintsAnExecCredential() throws Exception {
        CliRun r = CliRun.run(moto.environment(), "", "eks-token", "--cluster", "lake", "--region", REGION);
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode credential = JSON.readTree(r.out());
        assertEquals("ExecCredential", credential.path("kind").asText());
        assertEquals("client.authentication.k8s.io/v1beta1", credential.path("apiVersion").asText());
        assertTrue(credential.path("status").path("token").asText().startsWith("k8s-aws-v1."));
        Instant expires = Instant.parse(credential.path("status").path("expirationTimestamp").asText());
        Duration left = Duration.between(Instant.now(), expires);
        assertTrue(left.compareTo(Duration.ofMinutes(13)) > 0 && left.compareTo(Duration.ofMinutes(14)) <= 0, left::toString);
        assertEquals("", r.err());
    }

    @Test
    void eksTokenAnswersInTheVersionKubectlAsksFor() throws Exception {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("KUBERNETES_EXEC_INFO", "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"interactive\":false}}");
        env.put("AWS_REGION", REGION);
        CliRun r = CliRun.run(env, "", "eks-token", "--cluster", "lake");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("client.authentication.k8s.io/v1", JSON.readTree(r.out()).path("apiVersion").asText());
    }

    @Test
    void eksTokenReadsTheClusterFromPlatformYaml() throws Exception {
        CliRun r = CliRun.run(moto.environment(), "", "eks-token", "-f", platformYaml().toString());
        assertEquals(0, r.exitCode(), r::toString);
        String token = JSON.readTree(r.out()).path("status").path("token").asText();
        String url = new String(java.util.Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())));
        assertTrue(url.contains("%2F" + REGION + "%2Fsts%2Faws4_request"), url);
    }

    @Test
    void eksTokenWithoutCredentialsOrRegionIsOneLine() {
        CliRun noRegion = CliRun.run("eks-token", "--cluster", "lake");
        assertEquals(2, noRegion.exitCode(), noRegion::toString);
        assertEquals("error: --cluster needs a region: --region, AWS_REGION or AWS_DEFAULT_REGION\n", noRegion.err());

        CliRun noCredentials = CliRun.run("eks-token", "--cluster", "lake", "--region", REGION);
        assertEquals(1, noCredentials.exitCode(), noCredentials::toString);
        assertEquals(1, noCredentials.err().lines().count(), noCredentials.err());
        assertTrue(noCredentials.err().startsWith("error: cannot make an EKS token: no AWS credentials found"), noCredentials.err());
        assertEquals("", noCredentials.out());
    }

    @Test
    void kubeconfigMergesAContextRunningEksToken() throws Exception {
        Path kubeconfig = dir.resolve("kube/config");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                preferences:
                  colors: true
                clusters:
                - name: kind-local
                  cluster:
                    server: https://127.0.0.1:6443
                contexts:
                - name: kind-local
                  context:
                    cluster: kind-local
                    user: kind-local
                users:
                - name: kind-local
                  user:
                    token: abc
                current-context: kind-local
                """);
        CliRun r = CliRun.run(moto.environment(), "", "kubeconfig", "-f", platformYaml().toString(), "--kubeconfig", kubeconfig.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("wrote context lake (https://"), r.err());

        JsonNode config = new YAMLMapper().readTree(kubeconfig.toFile());
        assertEquals("lake", config.path("current-context").asText());
        assertEquals(List.of("kind-local", "lake"), names(config.path("contexts")));
        assertEquals(List.of("kind-local", "lake"), names(config.path("clusters")));
        assertEquals("abc", config.path("users").get(0).path("user").path("token").asText(), "other entries kept as they were");
        assertTrue(config.path("preferences").path("colors").asBoolean());
        JsonNode cluster = config.path("clusters").get(1).path("cluster");
        assertTrue(cluster.path("server").asText().startsWith("https://"));
        assertFalse(cluster.path("certificate-authority-data").asText().isBlank());
        JsonNode exec = config.path("users").get(1).path("user").path("exec");
        assertEquals("logexaminer", exec.path("command").asText());
        assertEquals(List.of("eks-token", "--cluster", "lake", "--region", REGION), texts(exec.path("args")));
        assertEquals("client.authentication.k8s.io/v1beta1", exec.path("apiVersion").asText());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)));

        CliRun again = CliRun.run(moto.environment(), "", "kubeconfig", "-f", platformYaml().toString(), "--kubeconfig",
                kubeconfig.toString(), "--alias", "prod", "--profile", "ops", "-o", "json");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals("prod", JSON.readTree(again.out()).path("context").asText());
        CliRun twice = CliRun.run(moto.environment(), "", "kubeconfig", "-f", platformYaml().toString(), "--kubeconfig",
                kubeconfig.toString());
        assertEquals(0, twice.exitCode(), twice::toString);
        config = new YAMLMapper().readTree(kubeconfig.toFile());
        assertEquals(List.of("kind-local", "lake", "prod"), names(config.path("contexts")), "same name replaced, not repeated");
        assertEquals(List.of("eks-token", "--cluster", "lake", "--region", REGION, "--profile", "ops"),
                texts(config.path("users").get(2).path("user").path("exec").path("args")));
        assertEquals("lake", config.path("current-context").asText());
    }

    @Test
    void kubeconfigWritesTheFirstKubeconfigFileWhenNoneIsGiven() throws Exception {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("KUBECONFIG", dir.resolve("first") + ":" + dir.resolve("second"));
        CliRun r = CliRun.run(env, "", "kubeconfig", "-f", platformYaml().toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Files.exists(dir.resolve("first")));
        assertFalse(Files.exists(dir.resolve("second")));
    }

    @Test
    void kubeconfigForAMissingClusterChangesNothing() throws Exception {
        Path kubeconfig = dir.resolve("config");
        Path platform = Files.writeString(dir.resolve("absent.yaml"), "name: absent\nregion: " + REGION + "\n");
        CliRun r = CliRun.run(moto.environment(), "", "kubeconfig", "-f", platform.toString(), "--kubeconfig", kubeconfig.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("error: EKS cluster absent does not exist in " + REGION + "; 'logexaminer up' creates it\n", r.err());
        assertFalse(Files.exists(kubeconfig));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(entry -> names.add(entry.path("name").asText()));
        return names;
    }

    private static List<String> texts(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(v.asText()));
        return values;
    }
}
