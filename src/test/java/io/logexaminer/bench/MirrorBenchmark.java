package io.logexaminer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.FaultProxy;
import io.logexaminer.testing.MirrorFixture;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestBinaries;
import io.logexaminer.testing.TestImages;
import io.logexaminer.testing.ToolProcess;
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
 * warm re-run (with the target's Docker login, and again with its login from ECR), in three rounds whose medians are
 * compared (the machine is shared), once with the source on loopback
 * and once behind a proxy that makes it distant like a public registry; then the peak memory of mirroring one 1 GB
 * layer against that of the whole set. Every tool runs as its own process; times are wall clock, memory is
 * the peak RSS from /proc.
 */
class MirrorBenchmark {
    private static final long UNIT = 5_600_000;
    private static final long BIG_LAYER = 1L << 30;
    private static final int ROUNDS = 3;
    /** A source like a public registry: a round trip before each answer, and a bandwidth per connection. */
    private static final java.time.Duration DISTANT_LATENCY = java.time.Duration.ofMillis(30);
    private static final long DISTANT_BANDWIDTH = 25_000_000;
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

    private record Run(double seconds, double cpuSeconds, long peakRssKb, String out) {
    }

    /** The classpath and JVM options the installed launcher uses: the product as a jar, and its AOT cache on JDK 25+. */
    private List<String> launcher = List.of();

    /** The medians of one way of reaching the source, over its rounds. */
    private record Scenario(double cold, double coldCpu, double warm, double warmCpu, double warmEcr, double skopeo,
                            double skopeoCpu, Optional<Double> crane, long peakRssKb, long warmBytes, int warmUploads) {
    }

    @Test
    void coldAndWarmAgainstSkopeoAndCrane() throws Exception {
        MirrorFixture fixture = MirrorFixture.push(source.host(), work, UNIT);
        Map<String, Long> blobs = new HashMap<>();
        fixture.images().values().forEach(p -> blobs.putAll(p.blobs()));
        long megabytes = blobs.values().stream().mapToLong(Long::longValue).sum() / 1_000_000;
        System.out.printf(Locale.ROOT, "mirror fixture: %d images (2 multi-arch), %d distinct blobs, %d MB%n",
                fixture.images().size(), blobs.size(), megabytes);
        launcher = install();

        Scenario loopback = scenario(fixture, source.host());
        Scenario distant;
        try (FaultProxy link = new FaultProxy(source.host(), 0)) {
            link.distant(DISTANT_LATENCY, DISTANT_BANDWIDTH);
            distant = scenario(fixture, link.host());
        }

        TestImages.Pushed big = new TestImages(work).push(source.host(), "big/layer:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(99, BIG_LAYER)));
        Run oneGigabyte = logexaminer(MirrorFixture.singleImageYaml(work, "big", big.reference(), "big/layer:1"), forLogexaminer);
        assertEquals(big.digest(), TestImages.rawDigest(forLogexaminer.host() + "/big/layer:1", DockerRegistry.USER, DockerRegistry.PASSWORD));

        report("source on loopback", loopback);
        report("source " + DISTANT_LATENCY.toMillis() + " ms away at " + DISTANT_BANDWIDTH / 1_000_000 + " MB/s per connection", distant);
        System.out.printf(Locale.ROOT, "mirror peak RSS: whole set (%d MB) %d MB, one 1 GB layer %d MB: ratio %.2f (flat: about 1)%n",
                megabytes, loopback.peakRssKb() / 1024, oneGigabyte.peakRssKb() / 1024, (double) oneGigabyte.peakRssKb() / loopback.peakRssKb());
        for (Scenario s : List.of(loopback, distant)) {
            assertEquals(0, s.warmBytes());
            assertEquals(0, s.warmUploads());
        }
    }

    private static void report(String name, Scenario s) {
        System.out.printf(Locale.ROOT, "mirror cold, %s (median of %d rounds): logexaminer %.2fs, skopeo copy --all image by image %.2fs: "
                + "ratio %.2f (goal <= 0.80)%n", name, ROUNDS, s.cold(), s.skopeo(), s.cold() / s.skopeo());
        s.crane().ifPresentOrElse(
                crane -> System.out.printf(Locale.ROOT, "mirror cold, %s: crane copy image by image %.2fs: logexaminer/crane ratio %.2f%n",
                        name, crane, s.cold() / crane),
                () -> System.out.println("mirror cold: crane is not installed (scripts/install-test-deps.sh builds it when Go is there)"));
        System.out.printf(Locale.ROOT, "mirror cold, %s: CPU (user+system) logexaminer %.2fs, skopeo %.2fs: ratio %.2f%n",
                name, s.coldCpu(), s.skopeoCpu(), s.coldCpu() / s.skopeoCpu());
        System.out.printf(Locale.ROOT, "mirror warm re-run, %s: %.2fs = %.3f of cold (goal < 0.10), CPU %.2fs, %d blob bytes, "
                + "%d blob uploads in the registry log%n", name, s.warm(), s.warm() / s.cold(), s.warmCpu(), s.warmBytes(), s.warmUploads());
        System.out.printf(Locale.ROOT, "mirror warm re-run logging in to the target through ECR's GetAuthorizationToken (the AWS SDK), "
                + "as a run into ECR does, %s: %.2fs = %.3f of cold%n", name, s.warmEcr(), s.warmEcr() / s.cold());
    }

    /** Rounds of: logexaminer cold then warm, skopeo, crane, each into its own emptied registry, reading the source at {@code via}. */
    private Scenario scenario(MirrorFixture fixture, String via) throws Exception {
        Path config = fixture.platformYaml(work, "bench", via);
        List<Double> ours = new ArrayList<>();
        List<Double> ourCpu = new ArrayList<>();
        List<Double> warms = new ArrayList<>();
        List<Double> warmCpu = new ArrayList<>();
        List<Double> warmEcr = new ArrayList<>();
        List<Double> skopeos = new ArrayList<>();
        List<Double> skopeoCpu = new ArrayList<>();
        List<Double> cranes = new ArrayList<>();
        long peakRss = 0;
        long warmBytes = 0;
        int warmUploads = 0;
        Optional<Path> crane = crane();
        for (int round = 0; round < ROUNDS; round++) {
            // Every round starts from empty targets (and no ECR repositories), so each run is cold.
            for (DockerRegistry target : List.of(forLogexaminer, forSkopeo, forCrane)) {
                empty(target.storage());
            }
            moto.reset();

            Run cold = logexaminer(config, forLogexaminer, "-o", "json");
            verify(fixture, forLogexaminer);
            ours.add(cold.seconds());
            ourCpu.add(cold.cpuSeconds());
            peakRss = Math.max(peakRss, cold.peakRssKb());
            int uploadsAfterCold = MirrorFixture.uploads(forLogexaminer.log());
            Run warm = logexaminer(config, forLogexaminer, "-o", "json");
            warms.add(warm.seconds());
            warmCpu.add(warm.cpuSeconds());
            warmBytes += uploadedBytes(warm);
            // Without a Docker login for the target, its login comes from ECR (moto), as for the account's own registry.
            Map<String, String> ecrLogin = new HashMap<>(moto.environment());
            ecrLogin.put("DOCKER_CONFIG", Files.createDirectories(work.resolve("no-docker-logins")).toString());
            Run viaEcr = run(logexaminerCommand(launcher, config, forLogexaminer, "-o", "json"), ecrLogin);
            warmEcr.add(viaEcr.seconds());
            warmBytes += uploadedBytes(viaEcr);
            warmUploads += MirrorFixture.uploads(forLogexaminer.log()) - uploadsAfterCold;

            double skopeo = 0;
            double cpu = 0;
            for (Map.Entry<String, TestImages.Pushed> e : fixture.images().entrySet()) {
                Run one = run(List.of(TestBinaries.require("skopeo").toString(), "copy", "--all", "--preserve-digests", "--quiet",
                        "--src-tls-verify=false", "--dest-tls-verify=false", "--dest-creds=" + DockerRegistry.USER + ":" + DockerRegistry.PASSWORD,
                        "docker://" + via + e.getValue().reference().substring(source.host().length()),
                        "docker://" + forSkopeo.host() + "/" + e.getKey()), Map.of());
                skopeo += one.seconds();
                cpu += one.cpuSeconds();
            }
            verify(fixture, forSkopeo);
            skopeos.add(skopeo);
            skopeoCpu.add(cpu);

            if (crane.isPresent()) {
                Path docker = MirrorFixture.dockerConfig(work, forCrane.host(), DockerRegistry.USER, DockerRegistry.PASSWORD);
                double craneSeconds = 0;
                for (Map.Entry<String, TestImages.Pushed> e : fixture.images().entrySet()) {
                    craneSeconds += run(List.of(crane.get().toString(), "copy", "--insecure",
                            via + e.getValue().reference().substring(source.host().length()), forCrane.host() + "/" + e.getKey()),
                            Map.of("DOCKER_CONFIG", docker.toString())).seconds();
                }
                verify(fixture, forCrane);
                cranes.add(craneSeconds);
            }
        }
        return new Scenario(median(ours), median(ourCpu), median(warms), median(warmCpu), median(warmEcr), median(skopeos),
                median(skopeoCpu), cranes.isEmpty() ? Optional.empty() : Optional.of(median(cranes)), peakRss, warmBytes, warmUploads);
    }

    /** The bytes a {@code mirror-images -o json} run uploaded, by its own report. */
    private static long uploadedBytes(Run run) throws IOException {
        long bytes = 0;
        for (JsonNode image : JSON.readTree(run.out()).get("images")) {
            bytes += image.get("bytes").asLong();
        }
        return bytes;
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
     * from install.sh's own training run.
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
        String joined = String.join(File.pathSeparator, classpath);
        List<String> jvm = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-cp", joined));
        if (Runtime.version().feature() >= 23) {
            jvm.add(1, "--sun-misc-unsafe-memory-access=allow");
        }
        ToolProcess.launcherAotCache(joined, work.resolve("mirror-images.aot"), "mirror-images").ifPresent(cache -> jvm.add(1, "-XX:AOTCache=" + cache));
        return jvm;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Deletes what a running registry stores (it keeps no cache of it), so that it starts over empty. */
    private static void empty(Path storage) throws IOException {
        if (!Files.exists(storage)) {
            return;
        }
        try (var paths = Files.walk(storage)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(storage)) {
                    Files.delete(p);
                }
            }
        }
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
        double cpu = 0;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, ToolProcess.memoryKb(p.pid(), "VmHWM"));
            cpu = Math.max(cpu, ToolProcess.cpuSeconds(p.pid()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + Files.readString(err, StandardCharsets.UTF_8) + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Run(seconds, cpu, peak, Files.readString(out, StandardCharsets.UTF_8));
    }
}
