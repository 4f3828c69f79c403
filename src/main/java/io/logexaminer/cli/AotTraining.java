package io.logexaminer.cli;

import io.logexaminer.output.Io;
import io.logexaminer.output.Terminal;
import io.logexaminer.plan.Cancellation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training runs install.sh records the JVM launcher's AOT caches from: every command once, in one JVM, so that
 * the classes each loads (and their profiles) are in the cache. It reaches nothing outside this machine: no AWS
 * credentials, and every endpoint is a closed loopback port, so each network path fails at once after loading.
 * Arguments: the example platform.yaml, then optionally a command name, to train that command alone (install.sh
 * records one cache per command, since the JVM loads every class of its cache at start), or {@value #BASE} for the
 * runs without a command ({@code --version}, {@code --help}).
 */
public final class AotTraining {
    private static final String CLOSED = "127.0.0.1:1";
    static final String BASE = "base";

    private AotTraining() {
    }

    /** The cache a run belongs to: its command, or {@value #BASE} for the root options. */
    static String group(List<String> run) {
        return run.getFirst().startsWith("-") ? BASE : run.getFirst();
    }

    public static void main(String[] args) throws IOException {
        Logging.configure(new String[0]);
        // what Main does before a command, so that its classes are in the cache too
        Terminal.isInteractive(System.getenv());
        Interrupts.cancellation();
        String example = args[0];
        Path dir = Files.createTempDirectory("logexaminer-training");
        try {
            Path platform = dir.resolve("platform.yaml");
            Files.writeString(platform, """
                    name: training
                    region: eu-west-1
                    images:
                      - {source: "%1$s/source/spark:3.5.1", target: "data-platform/spark:3.5.1"}
                    ecr: {repositories: [data-platform/spark]}
                    kubernetes:
                      sparkOperator: {image: data-platform/spark:3.5.1}
                      hiveMetastore: {image: data-platform/spark:3.5.1}
                      clickhouse: {image: data-platform/spark:3.5.1}
                      externalSecrets: {image: data-platform/spark:3.5.1}
                    eks: {clusterAutoscaler: {enabled: false}}
                    """.formatted(CLOSED));
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: training, cluster: {server: "https://%1$s"}}]
                    users: [{name: training, user: {token: training}}]
                    contexts: [{name: training, context: {cluster: training, user: training}}]
                    current-context: training
                    """.formatted(CLOSED));
            List<List<String>> runs = List.of(
                    List.of("--version"),
                    List.of("--help"),
                    List.of("up", "--dry-run", "-f", example),
                    List.of("up", "--dry-run", "-o", "json", "-f", example),
                    List.of("down", "--dry-run", "-f", example),
                    List.of("mirror-images", "--dry-run", "--registry", "http://" + CLOSED, "-f", platform.toString()),
                    List.of("query", "--endpoint", "http://" + CLOSED, "SELECT 1"),
                    List.of("port-forward", "--kubeconfig", kubeconfig.toString(), "svc/clickhouse:0:8123", "-n", "clickhouse"),
                    List.of("submit-job", "--dry-run", "-f", example, "--name", "training", "--main-file", "s3a://training/job.py"),
                    List.of("completion", "bash"),
                    List.of("eks-token", "-f", example),
                    List.of("kubeconfig", "-f", example, "--kubeconfig", dir.resolve("written-kubeconfig").toString()));
            Map<String, String> environment = Map.of("CLICKHOUSE_PASSWORD", "training", "AWS_EC2_METADATA_DISABLED", "true");
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
            for (List<String> run : runs) {
                if (args.length > 1 && !group(run).equals(args[1])) {
                    continue;
                }
                Cli.run(run.toArray(String[]::new), new Io(new ByteArrayInputStream(new byte[0]), discard, discard,
                        environment, false, new Cancellation()));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
