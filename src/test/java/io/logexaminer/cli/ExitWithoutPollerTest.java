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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that block on sockets (AWS calls such as the ECR login, a loopback registry's TLS sniff) do so on platform threads: a virtual
 * thread blocked on a socket starts the JDK's I/O poller, whose thread waits in native code until the process ends,
 * and the JVM then holds the exit 0.3 s for it. Each command runs as its own process; its threads are read from /proc
 * while it runs.
 */
class ExitWithoutPollerTest {
    /** The names the JDK gives its I/O poller threads, as /proc shows them (15 characters at most). */
    private static final List<String> POLLERS = List.of("MasterPoller", "Read-Poller", "Write-Poller");

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
        Set<String> threads = run(List.of("mirror-images", "-f", config.toString(), "--registry", target.url()));
        assertEquals(image.digest(), TestImages.rawDigest(target.host() + "/data-platform/polled:1", DockerRegistry.ECR_USER,
                DockerRegistry.ECR_PASSWORD));
        assertNoPoller(threads);
    }

    @Test
    void planningUpAgainstAwsStartsNoPoller() throws Exception {
        TestImages.Pushed image = new TestImages(work).push(source.host(), "apps/planned:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(72, 1000)));
        Path config = MirrorFixture.singleImageYaml(work, "planned", image.reference(), "data-platform/planned:1");
        assertNoPoller(run(List.of("up", "--dry-run", "-f", config.toString(), "--registry", target.url())));
    }

    private static void assertNoPoller(Set<String> threads) {
        assertTrue(threads.contains("VM Thread"), "the threads were read while the command ran: " + threads);
        for (String poller : POLLERS) {
            assertTrue(!threads.contains(poller), poller + " was started: " + threads);
        }
    }

    /** Runs the CLI to its end (exit 0), returning the name of every thread seen while it ran. */
    private Set<String> run(List<String> args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ToolProcess.command(List.of("-XX:+UseSerialGC"), System.getProperty("java.class.path"), args))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(work.resolve("err.txt").toFile());
        Map<String, String> env = new HashMap<>(moto.environment());
        // no Docker login for the target: the ECR login from moto is used, a call on a thread of its own
        env.put("DOCKER_CONFIG", Files.createDirectories(work.resolve("no-docker-logins")).toString());
        pb.environment().putAll(env);
        Process process = pb.start();
        Set<String> seen = new HashSet<>();
        while (!process.waitFor(2, TimeUnit.MILLISECONDS)) {
            seen.addAll(ToolProcess.threadNames(process.pid()));
        }
        String err = Files.readString(work.resolve("err.txt"));
        assertEquals(0, process.exitValue(), err);
        return seen;
    }
}
