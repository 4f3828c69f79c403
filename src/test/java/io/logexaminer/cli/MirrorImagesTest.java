package io.logexaminer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.action.AwsAccess;
import io.logexaminer.action.MirrorImagesAction;
import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsSettings;
import io.logexaminer.aws.EcrRepositories;
import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.registry.ImageCopier;
import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.FaultProxy;
import io.logexaminer.testing.MirrorFixture;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mirror-images} from a real registry to another (htpasswd basic auth, standing in for ECR's registry), with
 * moto for the ECR API. The tests run in order: dry run on an empty target, the copy, the re-run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorImagesTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();
    @RegisterExtension
    static final DockerRegistry source = DockerRegistry.anonymous();
    @RegisterExtension
    static final DockerRegistry target = DockerRegistry.withBasicAuth();

    @TempDir
    static Path work;
    private static MirrorFixture fixture;
    private static Path config;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void pushImages() {
        fixture = MirrorFixture.push(source.host(), work, 64 * 1024);
        config = fixture.platformYaml(work, "mirror-test");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("DOCKER_CONFIG", MirrorFixture.dockerConfig(work, target.host(), DockerRegistry.USER, DockerRegistry.PASSWORD).toString());
        return env;
    }

    private static CliRun mirror(Map<String, String> env, Path file, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("mirror-images", "-f", file.toString(), "--registry", target.url()));
        args.addAll(List.of(extra));
        return CliRun.run(env, "", args.toArray(String[]::new));
    }

    private static JsonNode images(CliRun run) throws Exception {
        return JSON.readTree(run.out()).get("images");
    }

    private static String targetDigest(String repositoryAndTag) {
        return TestImages.rawDigest(target.host() + "/" + repositoryAndTag, DockerRegistry.USER, DockerRegistry.PASSWORD);
    }

    @Test
    @Order(1)
    void aDryRunOnAnEmptyTargetSaysWhatItWouldCopyAndChangesNothing() throws Exception {
        CliRun run = mirror(env(), config, "--dry-run", "-o", "json");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode images = images(run);
        assertEquals(6, images.size());
        for (JsonNode image : images) {
            TestImages.Pushed pushed = fixture.images().get(image.get("target").asText().substring(target.host().length() + 1));
            assertEquals("would copy", image.get("status").asText(), image.toString());
            assertEquals(pushed.digest(), image.get("digest").asText());
            assertEquals(pushed.blobs().size(), image.get("blobs").get("copied").asInt(), image.toString());
        }
        assertTrue(run.err().contains("ECR repository data-platform/spark would be created"), run.err());
        try (AwsClients clients = awsClients()) {
            assertEquals(List.of(), clients.ecr().describeRepositories().repositories());
        }
        assertEquals(0, MirrorFixture.uploads(target.log()));
        assertEquals(0, MirrorFixture.count(target.log(), "PUT", "/v2/\\S+/manifests/\\S+", 0));
    }

    @Test
    @Order(2)
    void copiesEveryImageByteForByteAndCreatesTheRepositories() throws Exception {
        AwsCallLog.reset();
        CliRun run = mirror(env(), config, "-o", "json");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, AwsCallLog.clientSets(), "one set of AWS clients for every repository: " + AwsCallLog.calls());
        JsonNode images = images(run);
        int mounted = 0;
        for (JsonNode image : images) {
            assertEquals("copied", image.get("status").asText(), image.toString());
            mounted += image.get("blobs").get("mounted").asInt();
        }
        for (Map.Entry<String, TestImages.Pushed> e : fixture.images().entrySet()) {
            TestImages.Pushed pushed = e.getValue();
            assertEquals(pushed.digest(), targetDigest(e.getKey()), e.getKey());
            assertEquals(TestImages.rawDigest(pushed.reference()), targetDigest(e.getKey()), e.getKey());
            for (String child : pushed.children().values()) {
                String repository = e.getKey().substring(0, e.getKey().indexOf(':'));
                assertEquals(child, targetDigest(repository + "@" + child));
            }
        }
        JsonNode clickhouse = images.get(3);
        assertEquals(List.of("linux/amd64", "linux/arm64"), JSON.convertValue(clickhouse.get("platforms"), List.class));

        // skopeo checks every blob's digest as it reads the copies back.
        Path back = Files.createDirectory(work.resolve("pulled-back"));
        TestImages.skopeo("copy", "--all", "--quiet", "--src-tls-verify=false", "--src-creds=" + DockerRegistry.USER + ":"
                + DockerRegistry.PASSWORD, "docker://" + target.host() + "/data-platform/clickhouse:24.8", "dir:" + back);

        // The base layer went up once; the other repositories mounted it.
        assertTrue(mounted >= 3, "mounted " + mounted + ": " + run.out());
        assertEquals(mounted, MirrorFixture.count(target.log(), "POST", "/v2/\\S+/blobs/uploads/\\?mount=\\S+", 201));

        try (AwsClients clients = awsClients()) {
            EcrRepositories.Observed repo = new EcrRepositories(clients).observe("data-platform/hive").orElseThrow();
            assertTrue(repo.scanOnPush());
            assertEquals(Platform.TagMutability.IMMUTABLE, repo.tagMutability());
            assertEquals(OptionalInt.of(10), repo.keepLastImages());
            assertTrue(repo.ownedBy("mirror-test"));
            assertEquals("ecr-repository/data-platform/hive", repo.tags().get(Platform.LOGICAL_ID_TAG));
        }
        assertFalse(run.all().contains(DockerRegistry.PASSWORD));
    }

    @Test
    @Order(3)
    void aRerunAfterSuccessUploadsNoBlobAndPullsNoManifest() throws Exception {
        int uploadsBefore = MirrorFixture.uploads(target.log());
        int manifestGetsBefore = MirrorFixture.count(source.log(), "GET", "/v2/\\S+/manifests/\\S+", 0);

        AwsCallLog.reset();
        CliRun run = mirror(env(), config);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(6, run.out().lines().filter(l -> l.endsWith("up to date")).count(), run.out());
        assertEquals(Map.of(), AwsCallLog.calls(), "images up to date in a --registry the user is logged in to need no AWS call");

        assertEquals(uploadsBefore, MirrorFixture.uploads(target.log()));
        assertEquals(manifestGetsBefore, MirrorFixture.count(source.log(), "GET", "/v2/\\S+/manifests/\\S+", 0));
    }

    @Test
    @Order(4)
    void platformCopiesOneChildAndTheTagTakesItsDigest() {
        TestImages.Pushed list = fixture.images().get("data-platform/spark-operator:2.1.1");
        Path file = MirrorFixture.singleImageYaml(work, "one-platform", list.reference(), "single/operator:arm64");
        CliRun run = mirror(env(), file, "--platform", "linux/arm64");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(list.children().get("linux/arm64"), targetDigest("single/operator:arm64"));

        CliRun missing = mirror(env(), file, "--platform", "linux/s390x");
        assertEquals(1, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("has no linux/s390x image (it has linux/amd64, linux/arm64)"), missing.err());
    }

    @Test
    @Order(5)
    void oneBadImageIsOneClearLineAndTheOthersAreStillCopied() throws Exception {
        TestImages.Pushed good = fixture.images().get("data-platform/external-secrets:v0.10.7");
        Path file = MirrorFixture.imagesYaml(work, "mixed", List.of(
                Map.entry(good.reference(), "mixed/good:1"),
                Map.entry(source.host() + "/apps/spark:no-such-tag", "mixed/missing:1"),
                Map.entry(moto.endpoint().substring("http://".length()) + "/not/a-registry:1", "mixed/moto:1")));
        CliRun run = mirror(env(), file);
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(good.digest(), targetDigest("mixed/good:1"));
        List<String> failures = run.err().lines().filter(l -> l.contains("FAILED")).toList();
        assertEquals(2, failures.size(), run.err());
        assertTrue(failures.stream().anyMatch(l -> l.contains("GET manifest apps/spark:no-such-tag: 404 MANIFEST_UNKNOWN")), run.err());
        assertTrue(failures.stream().anyMatch(l -> l.contains(moto.endpoint().substring(7) + " does not answer like an OCI distribution registry")), run.err());
        assertTrue(run.err().contains("2 of 3 images failed"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    @Order(6)
    void anImmutableTagHoldingAnotherDigestIsAClearErrorAndTheSameDigestIsSuccess() throws Exception {
        TestImages images = new TestImages(work);
        images.push(source.host(), "apps/moving:1", TestImages.Format.OCI, new TestImages.Image("amd64", new TestImages.Layer(71, 1000)));
        Path file = MirrorFixture.singleImageYaml(work, "immutable", source.host() + "/apps/moving:1", "immutable/moving:1");
        assertEquals(0, mirror(env(), file).exitCode());
        TestImages.Pushed moved = images.push(source.host(), "apps/moving:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(72, 1000)));

        CliRun run = mirror(env(), file);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("immutable/moving:1 is an immutable tag holding sha256:"), run.err());
        assertTrue(run.err().contains("and the source is " + moved.digest()), run.err());
    }

    @Test
    @Order(7)
    void aRefusedLoginIsOneLineWithoutTheSecret() {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("DOCKER_CONFIG", MirrorFixture.dockerConfig(work, target.host(), DockerRegistry.USER, "wrong-password").toString());
        TestImages.Pushed small = fixture.images().get("data-platform/external-secrets:v0.10.7");
        CliRun run = mirror(env, MirrorFixture.singleImageYaml(work, "refused", small.reference(), "refused/one:1"));
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains(target.host() + " refused the login of mirror"), run.err());
        assertFalse(run.all().contains("wrong-password"));
    }

    @Test
    @Order(8)
    void withoutADockerLoginTheTargetGetsTheEcrLoginEvenWithAnExpiryIn2015() {
        TestImages.Pushed small = fixture.images().get("data-platform/hive:3.1.3");
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("DOCKER_CONFIG", work.resolve("no-docker-config").toString());
        CliRun run = mirror(env, MirrorFixture.singleImageYaml(work, "ecr-login", small.reference(), "ecr/hive:1"));
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(small.digest(), targetDigest("ecr/hive:1"));
        assertFalse(run.all().contains(DockerRegistry.ECR_PASSWORD), run::toString);
    }

    @Test
    @Order(9)
    void upCanObserveAndCopyOneImageAsTheStepOfItsImageResource() throws Exception {
        TestImages.Pushed image = fixture.images().get("data-platform/clickhouse:24.8");
        Path file = MirrorFixture.singleImageYaml(work, "up-step", image.reference(), "up/clickhouse:24.8");
        Platform platform = PlatformLoader.load(file.toString(), InputStream.nullInputStream(), Optional.empty()).platform();
        Platform.ImageMirror mirror = platform.images().getFirst();
        MirrorImagesAction action = new MirrorImagesAction(platform, new AwsAccess(Optional.empty(), env()),
                new MirrorImagesAction.Options(Optional.of(URI.create(target.url())), Optional.empty(), 4, false, Duration.ofSeconds(1)));
        Resource resource = new Resource(PlanBuilder.imageId(mirror.target()), List.of(), new ResourceSpec.ImageMirror(mirror));
        List<String> messages = new CopyOnWriteArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void message(Resource r, String message) {
                messages.add(r.id() + ": " + message);
            }
        };
        try (MirrorImagesAction.Session session = action.open()) {
            ImageCopier.Observation before = session.observe(mirror);
            assertFalse(before.upToDate());
            assertEquals(image.digest(), before.sourceDigest());

            MirrorImagesAction.ImageResult copied = session.copy(mirror, resource, listener);
            assertEquals(MirrorImagesAction.Status.COPIED, copied.status());
            assertTrue(session.observe(mirror).upToDate());
        }
        assertTrue(messages.contains("image/up/clickhouse:24.8: 5 blobs, " + io.logexaminer.output.Sizes.format(
                image.blobs().values().stream().mapToLong(Long::longValue).sum())), messages.toString());
        assertEquals(image.digest(), targetDigest("up/clickhouse:24.8"));
    }

    @Test
    @Order(9)
    void closingASessionAbandonsARequestThatNeverGetsAnAnswer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch accepted = new CountDownLatch(1);
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                        accepted.countDown();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            Path file = MirrorFixture.singleImageYaml(work, "silent", "127.0.0.1:" + silent.getLocalPort() + "/silent/x:1", "silent/x:1");
            Platform platform = PlatformLoader.load(file.toString(), InputStream.nullInputStream(), Optional.empty()).platform();
            MirrorImagesAction action = new MirrorImagesAction(platform, new AwsAccess(Optional.empty(), env()),
                    new MirrorImagesAction.Options(Optional.of(URI.create(target.url())), Optional.empty(), 4, false, Duration.ofSeconds(1)));
            MirrorImagesAction.Session session = action.open();
            Thread observing = Thread.ofVirtual().start(() -> {
                try {
                    session.observe(platform.images().getFirst());
                } catch (Exception expected) {
                    // the session closed under it
                }
            });
            assertTrue(accepted.await(30, TimeUnit.SECONDS), "the source was never asked");

            long start = System.nanoTime();
            session.close();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "close waited for the unanswered request");
            assertTrue(observing.join(Duration.ofSeconds(30)), "the request outlived its session");
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    @Order(10)
    void dockerHubsPullRateLimitIsReported() {
        TestImages.Pushed image = fixture.images().get("data-platform/external-secrets:v0.10.7");
        try (FaultProxy hub = new FaultProxy(source.host(), 0)) {
            hub.addResponseHeader("RateLimit-Limit: 100;w=21600");
            hub.addResponseHeader("RateLimit-Remaining: 76;w=21600");
            CliRun run = mirror(env(), MirrorFixture.singleImageYaml(work, "rate-limit",
                    hub.host() + image.reference().substring(source.host().length()), "limited/es:1"));
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.err().contains(hub.host() + ": 76 of 100 pulls left per 6h"), run.err());
        }
    }

    @Test
    @Order(11)
    void withoutAnAwsLoginTheEcrTargetIsOneLine() {
        TestImages.Pushed image = fixture.images().get("data-platform/external-secrets:v0.10.7");
        Path file = MirrorFixture.singleImageYaml(work, "no-aws", image.reference(), "nowhere/es:1");
        CliRun run = CliRun.run(Map.of("DOCKER_CONFIG", work.resolve("no-docker-config").toString()), "",
                "mirror-images", "-f", file.toString());
        assertEquals(1, run.exitCode(), run::toString);
        List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(List.of("error: could not get an ECR login: no AWS credentials found: set AWS_PROFILE or --profile, "
                + "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), errors, run::toString);
        assertFalse(run.err().contains("FAILED"), run.err());
    }

    private static AwsClients awsClients() {
        return new AwsClients(new AwsSettings("eu-west-1", Optional.empty(), moto.environment()));
    }
}
