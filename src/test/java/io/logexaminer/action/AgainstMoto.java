package io.logexaminer.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.aws.AwsClients;
import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.AwsProxy;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.MirrorFixture;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tests of {@code up} and {@code down} against moto server, emptied before each test, behind the test proxy (which
 * also answers the EKS add-on calls moto lacks). {@code env} points the CLI at the proxy; {@code aws} looks at moto
 * directly. Images come from a local source registry and go to a local registry standing in for ECR's, emptied with
 * moto: no test reaches a public registry. {@code env}'s KUBECONFIG names a file of the test's own.
 */
abstract class AgainstMoto {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();
    @RegisterExtension
    static final DockerRegistry source = DockerRegistry.anonymous();
    /** Where {@code up} mirrors images (its {@code --registry}), with the login moto's ECR hands out. */
    @RegisterExtension
    static final DockerRegistry registry = DockerRegistry.withBasicAuth();

    @TempDir
    static Path work;
    /** The default images of a platform, in the source registry. */
    static MirrorFixture images;

    protected AwsProxy proxy;
    protected Map<String, String> env;
    protected AwsClients aws;
    protected Path kubeconfig;
    private int registryLogStart;

    @BeforeAll
    static void pushImages() {
        images = MirrorFixture.push(source.host(), work, 1024);
    }

    @BeforeEach
    void startProxy() throws Exception {
        moto.reset();
        registry.clear();
        registryLogStart = registry.log().length();
        proxy = new AwsProxy(moto.endpoint());
        env = new HashMap<>(proxy.environment(moto.environment()));
        kubeconfig = Files.createTempDirectory(work, "kube-").resolve("config");
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("DOCKER_CONFIG", work.resolve("no-docker-logins").toString());
        aws = Fixtures.clients(moto);
        AwsCallLog.reset();
    }

    @AfterEach
    void stopProxy() {
        AwsCallLog.reset();
        aws.close();
        proxy.close();
    }

    /** The smallest platform, every resource of DESIGN.md with the defaults, its images read from the source registry. */
    static String demo() {
        return "name: demo\nregion: eu-west-1\n" + images.imagesBlock();
    }

    /** examples/platform.yaml, its images read from the source registry. */
    static String example() {
        try {
            return Fixtures.platformFile(images.withLocalSources(Files.readString(TestBinaries.projectDir().resolve("examples/platform.yaml"))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The arguments of {@code up ARGS} mirroring to the test's registry. A platform file whose images would be read from
     * anywhere but this machine is refused.
     */
    static String[] upArgs(String... args) {
        List<String> all = new ArrayList<>(List.of("up", "--registry", registry.url()));
        all.addAll(List.of(args));
        int file = all.indexOf("-f");
        if (file >= 0) {
            requireLocalImages(Path.of(all.get(file + 1)));
        }
        return all.toArray(String[]::new);
    }

    private static void requireLocalImages(Path file) {
        try {
            Platform platform = PlatformLoader.parse(file.toString(), Files.readString(file), Optional.empty()).platform();
            for (Platform.ImageMirror image : platform.images()) {
                if (!image.source().startsWith("127.0.0.1:")) {
                    throw new IllegalArgumentException(file + " reads " + image.source() + ": tests read images only from local registries");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the registry standing in for ECR's logged during this test: one access line per request. */
    String registryLog() {
        return registry.log().substring(registryLogStart);
    }

    CliRun up(String... args) {
        return CliRun.run(env, "", upArgs(args));
    }

    /** The plan {@code run} printed with {@code -o json}: every resource unchanged but the Kubernetes ones, not applied yet. */
    static void assertOnlyKubernetesPending(CliRun run) throws IOException {
        for (JsonNode r : new ObjectMapper().readTree(run.out()).get("resources")) {
            assertEquals(r.get("type").asText().startsWith("k8s:") ? "create" : "noop", r.get("action").asText(), r::toString);
        }
    }
}
