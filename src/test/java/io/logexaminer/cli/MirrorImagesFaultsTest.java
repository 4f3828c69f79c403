package io.logexaminer.cli;

import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.FaultProxy;
import io.logexaminer.testing.MirrorFixture;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults between the tool and both registries (connection resets before an answer, in the middle of a blob download
 * and of an upload, a corrupted blob, 503, 429 with Retry-After): every image still arrives intact.
 */
class MirrorImagesFaultsTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();
    @RegisterExtension
    static final DockerRegistry source = DockerRegistry.anonymous();
    @RegisterExtension
    static final DockerRegistry target = DockerRegistry.withBasicAuth();

    @TempDir
    Path work;

    @Test
    void everyImageArrivesIntactThroughResetsAnd503sAnd429s() throws Exception {
        MirrorFixture fixture = MirrorFixture.push(source.host(), work, 128 * 1024);
        try (FaultProxy sourceProxy = new FaultProxy(source.host(), 0.08);
             FaultProxy targetProxy = new FaultProxy(target.host(), 0.08)) {
            Map<String, String> env = new HashMap<>(moto.environment());
            env.put("DOCKER_CONFIG", MirrorFixture.dockerConfig(work, targetProxy.host(), DockerRegistry.USER, DockerRegistry.PASSWORD).toString());
            Path config = fixture.platformYaml(work, "faults", sourceProxy.host());

            CliRun run = CliRun.run(env, "", "mirror-images", "-f", config.toString(), "--registry", "http://" + targetProxy.host());

            assertEquals(0, run.exitCode(), run::toString);
            for (FaultProxy.Fault fault : FaultProxy.Fault.values()) {
                int injected = sourceProxy.injected().get(fault) + targetProxy.injected().get(fault);
                assertTrue(injected >= 1, fault + " was never injected: " + sourceProxy.injected() + " " + targetProxy.injected());
            }
            // A corrupted download was caught on the way: its upload was cut off, never committed for the registry to refuse.
            assertTrue(MirrorFixture.count(target.log(), "PUT", "/v2/\\S+/blobs/uploads/\\S+", 201) > 0);
            assertEquals(0, MirrorFixture.count(target.log(), "PUT", "/v2/\\S+/blobs/uploads/\\S+", 400));
        }
        Path back = Files.createDirectory(work.resolve("back"));
        for (Map.Entry<String, TestImages.Pushed> e : fixture.images().entrySet()) {
            String copy = target.host() + "/" + e.getKey();
            assertEquals(e.getValue().digest(), TestImages.rawDigest(copy, DockerRegistry.USER, DockerRegistry.PASSWORD), e.getKey());
            // skopeo verifies every blob it reads back against its digest.
            TestImages.skopeo("copy", "--all", "--quiet", "--src-tls-verify=false",
                    "--src-creds=" + DockerRegistry.USER + ":" + DockerRegistry.PASSWORD, "docker://" + copy,
                    "dir:" + Files.createDirectory(back.resolve(e.getKey().replaceAll("[/:]", "_"))));
        }
    }
}
