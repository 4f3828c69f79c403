package io.logexaminer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.MirrorFixture;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestBinaries;
import io.logexaminer.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A cold mirror of six images (about 150 MB, two of them multi-arch, a base layer shared by four) by
 * {@code logexaminer mirror-images} against {@code skopeo copy --all} image by image (what mirror_to_ecr.sh-era
 * scripts did) and {@code crane copy} when installed, each into its own empty registry with basic auth; then the
 * warm re-run; then the peak memory of mirroring one 1 GB layer against that of the whole set. Every tool runs as
 * its own process; times are wall clock, memory is the peak RSS from /proc.
 */
class MirrorBenchmark {
    private static final long UNIT = 5_600_000;
    private static final long BIG_LAYER = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MotoServer moto = new MotoServer();
    @RegisterExtension
    static final DockerRegistry source = DockerRegistry.anonymous();
    @RegisterExtension
    static final DockerRegistry forLogexaminer = DockerRegistry.withBasicAuth();
    @RegisterExtension
    static final DockerRegistry forSkopeo = DockerRegistry.withBasicAuth();
    @RegisterExtension
    static final DockerRegistry forCrane = DockerRegistry.withBasicAuth();

    @TempDir
    Path work;

    private record Run(double seconds, long peakRssKb, String out) {
    }

    /** The classpath and JVM options the installed launcher uses: the product as a jar, and its AOT cache on JDK 25+. */
    private List<String> launcher = List.of();

    @Test
    void coldAndWarmAgainstSkopeoAndCrane() throws Exception {
        MirrorFixture fixture = MirrorFixture.push(source.host(), work, UNIT);
        Map<String, Long> blobs = new HashMap<>();
        fixture.images().values().forEach(p -> blobs.putAll(p.blobs()));
        long megabytes = blobs.values().stream().mapToLong(Long::longValue).sum() / 1_000_000;
        System.out.printf(Locale.ROOT, "mirror fixture: %d images (2 multi-arch), %d distinct blobs, %d MB%n",
                fixture.images().size(), blobs.size(), megabytes);
        Path config = fixture.platformYaml(work, "bench");
        launcher = install();

        Run cold = logexaminer(config, forLogexaminer, "-o", "json");
        verify(fixture, forLogexaminer);
        int uploadsAfterCold = MirrorFixture.uploads(forLogexaminer.log());
        Run warm = logexaminer(config, forLogexaminer, "-o", "json");
        long warmBytes = 0;
        for (JsonNode image : JSON.readTree(warm.out()).get("images")) {
            warmBytes += image.get("bytes").asLong();
        }
        int warmUploads = MirrorFixture.uploads(forLogexaminer.log()) - uploadsAfterCold;

        double skopeo = 0;
        for (Map.Entry<String, TestImages.Pushed> e : fixture.images().entrySet()) {
            skopeo += run(List.of(TestBinaries.require("skopeo").toString(), "copy", "--all", "--preserve-digests", "--quiet",
                    "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds=" + DockerRegistry.USER + ":" + DockerRegistry.PASSWORD,
                    "docker://" + e.getValue().reference(), "docker://" + forSkopeo.host() + "/" + e.getKey()), Map.of()).seconds();
        }
        verify(fixture, forSkopeo);

        Optional<Path> crane = crane();
        double craneSeconds = 0;
        if (crane.isPresent()) {
            Path docker = MirrorFixture.dockerConfig(work, forCrane.host(), DockerRegistry.USER, DockerRegistry.PASSWORD);
            for (Map.Entry<String, TestImages.Pushed> e : fixture.images().entrySet()) {
                craneSeconds += run(List.of(crane.get().toString(), "copy", "--insecure", e.getValue().reference(),
                        forCrane.host() + "/" + e.getKey()), Map.of("DOCKER_CONFIG", docker.toString())).seconds();
            }
            verify(fixture, forCrane);
        }

        TestImages.Pushed big = new TestImages(work).push(source.host(), "big/layer:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(99, BIG_LAYER)));
        Run oneGigabyte = logexaminer(MirrorFixture.singleImageYaml(work, "big", big.reference(), "big/layer:1"), forLogexaminer);
        assertEquals(big.digest(), TestImages.rawDigest(forLogexaminer.host() + "/big/layer:1", DockerRegistry.USER, DockerRegistry.PASSWORD));

        System.out.printf(Locale.ROOT, "mirror cold: logexaminer %.2fs, skopeo copy --all image by image %.2fs: ratio %.2f (goal <= 0.80)%n",
                cold.seconds(), skopeo, cold.seconds() / skopeo);
        if (crane.isPresent()) {
            System.out.printf(Locale.ROOT, "mirror cold: crane copy image by image %.2fs: logexaminer/crane ratio %.2f%n",
                    craneSeconds, cold.seconds() / craneSeconds);
        } else {
            System.out.println("mirror cold: crane is not installed (scripts/install-test-deps.sh builds it when Go is there)");
        }
        System.out.printf(Locale.ROOT, "mirror warm re-run: %.2fs = %.3f of cold (goal < 0.10), %d blob bytes, %d blob uploads in the registry log%n",
                warm.seconds(), warm.seconds() / cold.seconds(), warmBytes, warmUploads);
        System.out.printf(Locale.ROOT, "mirror peak RSS: whole set (%d MB) %d MB, one 1 GB layer %d MB: ratio %.2f (flat: about 1)%n",
                megabytes, cold.peakRssKb() / 1024,
                oneGigabyte.peakRssKb() / 1024, (double) oneGigabyte.peakRssKb() / cold.peakRssKb());
        assertEquals(0, warmBytes);
        assertEquals(0, warmUploads);
    }

    /** Each target tag holds the source's exact digest. */
    private static void verify(MirrorFixture fixture, DockerRegistry registry) {
        fixture.images().forEach((target, pushed) -> assertEquals(pushed.digest(),
                TestImages.rawDigest(registry.host() + "/" + target, DockerRegistry.USER, DockerRegistry.PASSWORD), target));
    }

    /** The CLI in its own JVM, started as the installed launcher starts it. */
    private Run logexaminer(Path config, DockerRegistry target, String... extra) throws Exception {
        return run(logexaminerCommand(launcher, config, target, extra), logexaminerEnvironment(target));
    }

    private List<String> logexaminerCommand(List<String> jvm, Path config, DockerRegistry target, String... extra) {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("io.logexaminer.cli.Main", "mirror-images", "-f", config.toString(), "--registry", target.url()));
        command.addAll(List.of(extra));
        return command;
    }

    private Map<String, String> logexaminerEnvironment(DockerRegistry target) {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("DOCKER_CONFIG", MirrorFixture.dockerConfig(work, target.host(), DockerRegistry.USER, DockerRegistry.PASSWORD).toString());
        return env;
    }

    /**
     * What install.sh installs: the classes as a jar beside their dependencies and, on JDK 25 or newer, an AOT cache
     * from a training run (here a small mirror into a repository the measured runs do not use).
     */
    private List<String> install() throws Exception {
        Path jar = work.resolve("logexaminer.jar");
        int status = java.util.spi.ToolProvider.findFirst("jar").orElseThrow()
                .run(System.out, System.err, "cf", jar.toString(), "-C", Path.of("target/classes").toAbsolutePath().toString(), ".");
        assertEquals(0, status);
        List<String> classpath = new ArrayList<>(List.of(jar.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                classpath.add(entry);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = List.of(java, "-XX:+UseSerialGC", "-cp", String.join(File.pathSeparator, classpath));
        if (Runtime.version().feature() < 25) {
            return jvm;
        }
        Path cache = work.resolve("logexaminer.aot");
        TestImages.Pushed tiny = new TestImages(work).push(source.host(), "training/tiny:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(7, 100_000)));
        List<String> training = new ArrayList<>(jvm);
        training.add(1, "-XX:AOTCacheOutput=" + cache);
        run(logexaminerCommand(training, MirrorFixture.singleImageYaml(work, "training", tiny.reference(), "training/tiny:1"),
                forLogexaminer), logexaminerEnvironment(forLogexaminer));
        List<String> withCache = new ArrayList<>(jvm);
        withCache.add(1, "-XX:AOTCache=" + cache);
        return withCache;
    }


    private static Optional<Path> crane() {
        try {
            return Optional.of(TestBinaries.require("crane"));
        } catch (ExtensionConfigurationException missing) {
            return Optional.empty();
        }
    }

    /** Runs a command to its end: wall time, peak resident memory (VmHWM, sampled until exit) and stdout. */
    private Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out-", ".txt");
        Path err = Files.createTempFile(work, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        long peak = 0;
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, highWaterMark(status));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + Files.readString(err, StandardCharsets.UTF_8) + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Run(seconds, peak, Files.readString(out, StandardCharsets.UTF_8));
    }

    private static long highWaterMark(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException exited) {
            // The process ended between two samples.
        }
        return 0;
    }
}
