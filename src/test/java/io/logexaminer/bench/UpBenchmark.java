package io.logexaminer.bench;

import io.logexaminer.action.AwsAccess;
import io.logexaminer.action.UpAction;
import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.plan.Action;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceGraph;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.AwsProxy;
import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.MirrorFixture;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code up} of examples/platform.yaml against moto, with AWS's slow operations held by the proxy for times scaled
 * from AWS's (one AWS minute is a second here), its images (small ones, from a local registry) mirrored to a local
 * registry standing in for ECR's. Prints the wall time against the graph's critical path (the longest
 * chain of held operations, the best any schedule can do), against the critical path of the run's own step times
 * (what the schedule adds to the steps), and against the same up run one resource at a time; and the number of AWS
 * calls of an up that has nothing to change.
 */
class UpBenchmark {
    /** Held time per create call, by resource type: cluster ~10 min, database ~8, node group ~4, NAT ~2, add-on ~1. */
    private static final Map<String, Duration> HELD = Map.of(
            ResourceSpec.EksCluster.TYPE, Duration.ofSeconds(10),
            ResourceSpec.DbInstance.TYPE, Duration.ofSeconds(8),
            ResourceSpec.NodeGroup.TYPE, Duration.ofSeconds(4),
            ResourceSpec.NatGateway.TYPE, Duration.ofSeconds(2),
            ResourceSpec.EksAddon.TYPE, Duration.ofSeconds(1));
    private static final Map<String, String> OPERATION = Map.of(
            ResourceSpec.EksCluster.TYPE, "eks:CreateCluster",
            ResourceSpec.DbInstance.TYPE, "rds:CreateDBInstance",
            ResourceSpec.NodeGroup.TYPE, "eks:CreateNodegroup",
            ResourceSpec.NatGateway.TYPE, "ec2:CreateNatGateway",
            ResourceSpec.EksAddon.TYPE, "eks:CreateAddon");

    @RegisterExtension
    static final MotoServer moto = new MotoServer();
    @RegisterExtension
    static final DockerRegistry source = DockerRegistry.anonymous();
    @RegisterExtension
    static final DockerRegistry registry = DockerRegistry.withBasicAuth();
    @TempDir
    static Path work;

    private static UpAction.Options options(int parallelism) {
        return new UpAction.Options(Optional.of(URI.create(registry.url())), Duration.ofSeconds(10), parallelism);
    }

    /** How long the up took, its graph, and how long each resource's step took. */
    private record Run(Duration wall, ResourceGraph graph, Map<String, Duration> steps) {
    }

    private Run up(AwsProxy proxy, Platform platform, Map<String, String> env, int parallelism) throws Exception {
        moto.reset();
        registry.clear();
        proxy.addons().clear();
        // moto builds a region's EC2 model on first use after a reset, which takes seconds AWS never does: not timed.
        try (UpAction warmUp = new UpAction(platform, new AwsAccess(Optional.empty(), env), options(16))) {
            warmUp.account(true);
            warmUp.plan(new Cancellation());
        }
        try (UpAction up = new UpAction(platform, new AwsAccess(Optional.empty(), env), options(parallelism))) {
            Map<String, Duration> steps = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            up.account(false);
            UpAction.Planned planned = up.plan(new Cancellation());
            up.apply(new ProgressListener() {
                @Override
                public void finished(Resource resource, Action action, Outcome outcome, Duration elapsed, String detail) {
                    steps.put(resource.id(), elapsed);
                }
            }, new Cancellation());
            return new Run(Duration.ofNanos(System.nanoTime() - start), planned.plan().graph(), steps);
        }
    }

    /** The longest chain through the graph, each resource taking {@code time} of it. */
    private static Duration criticalPath(ResourceGraph graph, Function<Resource, Duration> time) {
        Map<String, Long> finish = new HashMap<>();
        long longest = 0;
        for (Resource r : graph.order()) {
            long start = r.dependsOn().stream().mapToLong(finish::get).max().orElse(0);
            long end = start + time.apply(r).toMillis();
            finish.put(r.id(), end);
            longest = Math.max(longest, end);
        }
        return Duration.ofMillis(longest);
    }

    private static double ratio(Duration a, Duration b) {
        return a.toMillis() / (double) b.toMillis();
    }

    private static String seconds(Duration d) {
        return String.format("%.2fs", d.toMillis() / 1000.0);
    }

    @Test
    void upAgainstTheCriticalPathAndOneAtATime() throws Exception {
        MirrorFixture images = MirrorFixture.push(source.host(), work, 64 * 1024);
        String yaml = images.withLocalSources(Files.readString(TestBinaries.projectDir().resolve("examples/platform.yaml")));
        Platform platform = PlatformLoader.parse("platform.yaml", yaml, Optional.empty()).platform();
        try (AwsProxy proxy = new AwsProxy(moto.endpoint())) {
            HELD.forEach((type, held) -> proxy.delay(OPERATION.get(type), held));
            Map<String, String> env = new HashMap<>(proxy.environment(moto.environment()));
            env.put("KUBECONFIG", work.resolve("kubeconfig").toString());
            env.put("DOCKER_CONFIG", work.resolve("no-docker-logins").toString());

            Run parallel = up(proxy, platform, env, 16);
            Duration critical = criticalPath(parallel.graph(), r -> HELD.getOrDefault(r.type(), Duration.ZERO));
            Duration ownSteps = criticalPath(parallel.graph(), r -> parallel.steps().getOrDefault(r.id(), Duration.ZERO));
            Run sequential = up(proxy, platform, env, 1);

            AwsCallLog.reset();
            int logged = registry.log().length();
            long start = System.nanoTime();
            try (UpAction again = new UpAction(platform, new AwsAccess(Optional.empty(), env), options(16))) {
                again.account(false);
                UpAction.Planned planned = again.plan(new Cancellation());
                again.apply(ProgressListener.NONE, new Cancellation());
                assertTrue(planned.refusals().isEmpty());
            }
            Duration noChange = Duration.ofNanos(System.nanoTime() - start);
            int calls = AwsCallLog.total();
            Map<String, Integer> mutating = AwsCallLog.mutating();
            String registryLog = registry.log().substring(logged);
            int registryRequests = MirrorFixture.count(registryLog, "[A-Z]+", "\\S+", 0);
            int registryHeads = MirrorFixture.count(registryLog, "HEAD", "\\S+", 0);

            System.out.printf("UpBenchmark: up wall %s = %.2fx the critical path of held times %s (goal: within 1.15x)%n",
                    seconds(parallel.wall()), ratio(parallel.wall(), critical), seconds(critical));
            System.out.printf("UpBenchmark: up wall %s = %.2fx the critical path of its own step times %s%n",
                    seconds(parallel.wall()), ratio(parallel.wall(), ownSteps), seconds(ownSteps));
            System.out.printf("UpBenchmark: one resource at a time %s = %.2fx the parallel up%n", seconds(sequential.wall()),
                    ratio(sequential.wall(), parallel.wall()));
            System.out.printf("UpBenchmark: a no-change up makes %d AWS calls, %d of them mutating, and %d requests to the "
                    + "registry standing in for ECR's, %d of them HEAD, in %s (%.2fx the parallel up)%n", calls, mutating.size(), registryRequests, registryHeads,
                    seconds(noChange), ratio(noChange, parallel.wall()));
            assertEquals(Map.of(), mutating);
            assertEquals(registryHeads, registryRequests, "images already mirrored cost HEAD requests only");
        }
    }
}
