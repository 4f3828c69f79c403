package io.logexaminer.cli;

import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.MirrorFixture;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestImages;
import io.logexaminer.testing.ToolProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Commands that block on sockets (AWS calls such as the ECR login, a loopback registry's TLS sniff) do so on platform
 * threads: a virtual thread blocked on a socket starts the JDK's I/O poller, whose thread waits in native code until
 * the process ends, and the JVM then holds the exit 0.3 s for it. Each command runs as its own process; its threads
 * are read from /proc while it runs. QueryThroughClusterTest checks the same of a query through its own forward.
 */
class ExitWithoutPollerTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();
    @RegisterExtension
    static final DockerRegistry source = DockerRegistry.anonymous();
    @RegisterExtension
    static final DockerRegistry target = DockerRegistry.withBasicAuth();

    @TempDir
    Path work;

    @Test
    void mirroringFromALoopbackRegistryIntoNewEcrRepositoriesStartsNoPoller() throws Exception {
        TestImages.Pushed image = new TestImages(work).push(source.host(), "apps/polled:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(71, 200_000)));
        Path config = MirrorFixture.singleImageYaml(work, "polled", image.reference(), "data-platform/polled:1");
        ToolProcess.Watched run = run(List.of("mirror-images", "-f", config.toString(), "--registry", target.url()));
        assertNoPoller(run);
        assertEquals(image.digest(), TestImages.rawDigest(target.host() + "/data-platform/polled:1", DockerRegistry.ECR_USER,
                DockerRegistry.ECR_PASSWORD));
    }

    @Test
    void planningUpAgainstAwsStartsNoPoller() throws Exception {
        TestImages.Pushed image = new TestImages(work).push(source.host(), "apps/planned:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(72, 1000)));
        Path config = MirrorFixture.singleImageYaml(work, "planned", image.reference(), "data-platform/planned:1");
        assertNoPoller(run(List.of("up", "--dry-run", "-f", config.toString(), "--registry", target.url())));
    }

    private static void assertNoPoller(ToolProcess.Watched run) {
        assertEquals(0, run.exitCode(), run.stderr());
        assertFalse(run.startedPoller(), "an I/O poller thread was started: " + run.threads());
    }

    /** The CLI against moto, with no Docker login for the target: the ECR login from moto is used, a call on a thread of its own. */
    private ToolProcess.Watched run(List<String> args) throws Exception {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("DOCKER_CONFIG", Files.createDirectories(work.resolve("no-docker-logins")).toString());
        return ToolProcess.runWatchingThreads(args, env);
    }
}
