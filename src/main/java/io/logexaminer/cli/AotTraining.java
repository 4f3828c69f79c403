package io.logexaminer.cli;

import io.logexaminer.output.Io;
import io.logexaminer.output.Terminal;
import io.logexaminer.plan.Cancellation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training runs install.sh records the JVM launcher's AOT caches from: every command once, in one JVM, so that
 * the classes each loads (and their profiles) are in the cache. It reaches nothing outside this machine: the only AWS
 * credentials are made-up ones, and every endpoint is a loopback port that is closed or refuses every request, so
 * each network path fails at once after loading.
 * Arguments: the example platform.yaml, then optionally a command name, to train that command alone (install.sh
 * records one cache per command, since the JVM loads every class of its cache at start), or {@value #BASE} for the
 * runs without a command ({@code --version}, {@code --help}).
 */
public final class AotTraining {
    private static final String CLOSED = "127.0.0.1:1";
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
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
        try (RefusingEndpoint refusing = new RefusingEndpoint()) {
            String platformText = """
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
                    """;
            Path platform = Files.writeString(dir.resolve("platform.yaml"), platformText.formatted(CLOSED));
            Path refusedPlatform = Files.writeString(dir.resolve("refused.yaml"), platformText.formatted(refusing.hostAndPort()));
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: training, cluster: {server: "https://%1$s"}}]
                    users: [{name: training, user: {token: training}}]
                    contexts: [{name: training, context: {cluster: training, user: training}}]
                    current-context: training
                    """.formatted(CLOSED));
            Map<String, String> environment = Map.of("CLICKHOUSE_PASSWORD", "training", "AWS_EC2_METADATA_DISABLED", "true");
            Map<String, String> refusedAccount = new HashMap<>(environment);
            refusedAccount.putAll(Map.of("AWS_ACCESS_KEY_ID", "training", "AWS_SECRET_ACCESS_KEY", "training",
                    "AWS_ENDPOINT_URL", "http://" + refusing.hostAndPort()));
            List<Run> runs = List.of(
                    new Run(environment, "--version"),
                    new Run(environment, "--help"),
                    new Run(environment, "up", "--dry-run", "-f", example),
                    new Run(environment, "up", "--dry-run", "-o", "json", "-f", example),
                    new Run(environment, "down", "--dry-run", "-f", example),
                    new Run(environment, "mirror-images", "--dry-run", "--registry", "http://" + CLOSED, "-f", platform.toString()),
                    // Into the account's registry, refused: the source is asked for its manifest and ECR for a login
                    // (made-up credentials), so that the classes that read answers, the registry client's and the
                    // AWS SDK's, are in the cache too.
                    new Run(refusedAccount, "mirror-images", "-f", refusedPlatform.toString()),
                    new Run(environment, "query", "--endpoint", "http://" + CLOSED, "SELECT 1"),
                    new Run(environment, "port-forward", "--kubeconfig", kubeconfig.toString(), "svc/clickhouse:0:8123", "-n",
                            "clickhouse"),
                    new Run(environment, "submit-job", "--dry-run", "-f", example, "--name", "training", "--main-file",
                            "s3a://training/job.py"),
                    new Run(environment, "completion", "bash"),
                    new Run(environment, "eks-token", "-f", example),
                    new Run(environment, "kubeconfig", "-f", example, "--kubeconfig", dir.resolve("written-kubeconfig").toString()));
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
            for (Run run : runs) {
                if (args.length > 1 && !group(run.args()).equals(args[1])) {
                    continue;
                }
                Cli.run(run.args().toArray(String[]::new), new Io(new ByteArrayInputStream(new byte[0]), discard, discard,
                        run.environment(), false, new Cancellation()));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One command line to train on, and the environment it sees. */
    private record Run(Map<String, String> environment, List<String> args) {
        Run(Map<String, String> environment, String... args) {
            this(environment, List.of(args));
        }
    }

    /**
     * A loopback port that answers every HTTP request with 403 Forbidden and closes the connection, so that a call to
     * it fails at once (nothing retries a refusal) after its answer is read. A TLS hello is hung up on.
     */
    static final class RefusingEndpoint implements AutoCloseable {
        private static final byte[] REFUSAL = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        RefusingEndpoint() throws IOException {
            Thread.ofPlatform().daemon().name("refusing-endpoint").start(this::answer);
        }

        String hostAndPort() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        private void answer() {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    client.setSoTimeout(2000);
                    InputStream in = client.getInputStream();
                    if (readRequest(in)) {
                        client.getOutputStream().write(REFUSAL);
                    }
                } catch (IOException next) {
                    // a client that went away, or the endpoint closed: the loop ends or takes the next one
                }
            }
        }

        /** Reads a request's head and body (by Content-Length); false for anything that is not HTTP, a TLS hello say. */
        private static boolean readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
                if (head.isEmpty() && !Character.isLetter(b)) {
                    return false;
                }
                head.append((char) b);
            }
            Matcher length = CONTENT_LENGTH.matcher(head);
            in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
            return true;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
