package io.logexaminer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.EchoServer;
import io.logexaminer.testing.KubernetesTestCluster;
import io.logexaminer.testing.RunningCli;
import io.logexaminer.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code logexaminer port-forward} against the test cluster, run in-process as a shell would run it. */
@Timeout(120)
class PortForwardCommandTest {
    @RegisterExtension
    static final KubernetesTestCluster cluster = new KubernetesTestCluster();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofSeconds(15);
    private static final Pattern READY_LINE = Pattern.compile("(?m)^(\\S+) (\\S+) 127\\.0\\.0\\.1:(\\d+) -> (\\S+)$");

    @TempDir
    static Path dir;
    static EchoServer clickhouse;
    static EchoServer metastore;
    static Path kubeconfig;

    @BeforeAll
    static void platformServices() {
        clickhouse = new EchoServer();
        metastore = new EchoServer();
        kubeconfig = cluster.writeKubeconfig(dir);
        cluster.runPod("clickhouse", "clickhouse-0", Map.of("app", "clickhouse"), Map.of("http", 8123, "native", 9000));
        cluster.route("clickhouse", "clickhouse-0", 8123, clickhouse.address());
        cluster.route("clickhouse", "clickhouse-0", 9000, clickhouse.address());
        cluster.createService("clickhouse", "clickhouse", Map.of("app", "clickhouse"), "http=8123:http", "native=9000:native");
        cluster.runPod("hive", "hive-metastore-0", Map.of("app", "hms"), Map.of("thrift", 9083));
        cluster.route("hive", "hive-metastore-0", 9083, metastore.address());
        cluster.createService("hive", "hive-metastore", Map.of("app", "hms"), "9083");
    }

    @AfterAll
    static void stopServers() {
        clickhouse.close();
        metastore.close();
    }

    /** The command line with the test cluster's kubeconfig and no platform.yaml (the platform's defaults apply). */
    private static String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of("port-forward", "--kubeconfig", kubeconfig.toString(), "-f",
                dir.resolve("no-platform.yaml").toString()));
        Collections.addAll(all, args);
        return all.toArray(String[]::new);
    }

    @Test
    void clickhouseAndHmsReadyLinesThenForwardingUntilCtrlC() throws Exception {
        try (RunningCli run = RunningCli.start(Map.of(), args("clickhouse:0:8123", "clickhouse:0:native", "hms:0:9083"))) {
            String err = run.awaitErr(e -> READY_LINE.matcher(e).results().count() == 3, READY);
            Matcher m = READY_LINE.matcher(err);
            List<String> lines = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            while (m.find()) {
                lines.add(m.group(1) + " " + m.group(2) + " -> " + m.group(4));
                ports.add(Integer.parseInt(m.group(3)));
            }
            assertEquals(List.of("clickhouse http -> clickhouse/clickhouse-0:8123", "clickhouse native -> clickhouse/clickhouse-0:9000",
                    "hms thrift -> hive/hive-metastore-0:9083"), lines);
            assertEquals("", run.out());
            assertEquals("SELECT 1", roundTrip(ports.get(0), "SELECT 1"));
            assertEquals("native", roundTrip(ports.get(1), "native"));
            int before = metastore.accepted();
            assertEquals("get_table", roundTrip(ports.get(2), "get_table"));
            assertEquals(before + 1, metastore.accepted(), "the hms port reaches the metastore's pod");

            CliRun result = run.stop();
            assertEquals(130, result.exitCode(), result::toString);
            assertTrue(result.err().endsWith("interrupted: closed the port-forwards\n"), result.err());
            for (int port : ports) {
                assertThrows(IOException.class, () -> roundTrip(port, "after"), "closed on Ctrl-C");
            }
        }
    }

    @Test
    void jsonLinesOnStdout() throws Exception {
        try (RunningCli run = RunningCli.start(Map.of(), args("-o", "json", "clickhouse:0:8123", "svc/hive-metastore:0:9083", "-n", "hive"))) {
            String out = run.awaitOut(o -> o.lines().count() == 2, READY);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.lines().toList()) {
                lines.add(JSON.readTree(line));
            }
            JsonNode ch = lines.get(0);
            assertEquals("clickhouse", ch.path("target").asText());
            assertEquals("http", ch.path("port").asText());
            assertEquals("127.0.0.1", ch.path("address").asText());
            assertEquals("clickhouse", ch.path("namespace").asText());
            assertEquals("svc/clickhouse", ch.path("destination").asText());
            assertEquals("clickhouse-0", ch.path("pod").asText());
            assertEquals(8123, ch.path("podPort").asInt());
            assertEquals("http://127.0.0.1:" + ch.path("localPort").asInt(), ch.path("endpoint").asText());
            assertEquals("CLICKHOUSE_URL", ch.path("env").asText());
            JsonNode svc = lines.get(1);
            assertEquals("svc/hive-metastore", svc.path("target").asText());
            assertEquals("9083", svc.path("port").asText());
            assertEquals("hive-metastore-0", svc.path("pod").asText());
            assertFalse(svc.has("endpoint"));
            assertEquals("ping", roundTrip(svc.path("localPort").asInt(), "ping"));
            assertEquals(130, run.stop().exitCode());
        }
    }

    @Test
    void printEnvGivesShellExports() throws Exception {
        try (RunningCli run = RunningCli.start(Map.of(), args("--print-env", "clickhouse:0:8123", "clickhouse:0:9000", "hms:0:9083"))) {
            String out = run.awaitOut(o -> o.lines().count() == 3, READY);
            List<String> lines = out.lines().toList();
            assertTrue(lines.get(0).matches("export CLICKHOUSE_URL=http://127\\.0\\.0\\.1:\\d+"), out);
            assertTrue(lines.get(1).matches("export CLICKHOUSE_NATIVE_ADDRESS=127\\.0\\.0\\.1:\\d+"), out);
            assertTrue(lines.get(2).matches("export HMS_URI=thrift://127\\.0\\.0\\.1:\\d+"), out);
            int port = Integer.parseInt(lines.get(0).replaceAll(".*:", ""));
            assertEquals("x", roundTrip(port, "x"));
            run.stop();
        }
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        try (RunningCli run = RunningCli.start(Map.of(), args("-o", "json", "pod/clickhouse-0:0:8123", "-n", "clickhouse"))) {
            JsonNode line = JSON.readTree(run.awaitOut(o -> o.endsWith("\n"), READY));
            int port = line.path("localPort").asInt();
            assertEquals("127.0.0.1", line.path("address").asText());
            assertFalse(run.err().contains("warning"), run.err());
            Optional<InetAddress> external = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
            if (external.isPresent()) {
                try (Socket s = new Socket()) {
                    assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(external.get(), port), 1000),
                            "not reachable on " + external.get());
                }
            }
            assertEquals("y", roundTrip(port, "y"));
            run.stop();
        }
    }

    @Test
    void aNonLoopbackAddressIsWarnedAbout() throws Exception {
        try (RunningCli run = RunningCli.start(Map.of(), args("--address", "0.0.0.0", "pod/clickhouse-0:0:8123", "-n", "clickhouse"))) {
            String err = run.awaitErr(e -> e.contains(" -> "), READY);
            assertTrue(err.startsWith("warning: listening on 0.0.0.0, not loopback: "), err);
            assertTrue(err.contains("pod/clickhouse-0 http 0.0.0.0:"), err);
            run.stop();
        }
    }

    @Test
    void aReplacedPodIsFoundWithoutTheCommandEnding() throws Exception {
        cluster.runPod("apps", "api-a", Map.of("app", "api"), Map.of("http", 8080));
        cluster.route("apps", "api-a", 8080, clickhouse.address());
        cluster.createService("apps", "api", Map.of("app", "api"), "80:http");
        try (RunningCli run = RunningCli.start(Map.of(), args("svc/api:0:80", "-n", "apps"));
             EchoServer replacement = new EchoServer()) {
            String err = run.awaitErr(e -> READY_LINE.matcher(e).find(), READY);
            assertTrue(err.contains("svc/api 80 127.0.0.1:"), err);
            assertTrue(err.contains(" -> apps/api-a:8080"), err);
            Matcher m = READY_LINE.matcher(err);
            assertTrue(m.find());
            int port = Integer.parseInt(m.group(3));
            assertEquals("one", roundTrip(port, "one"));

            cluster.client().pods().inNamespace("apps").withName("api-a").delete();
            cluster.route("apps", "api-b", 8080, replacement.address());
            cluster.runPod("apps", "api-b", Map.of("app", "api"), Map.of("http", 8080));
            long start = System.nanoTime();
            assertEquals("two", roundTrip(port, "two"));
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
            assertEquals(1, replacement.accepted());
            assertFalse(run.ended(), "the command keeps running");
            assertEquals(130, run.stop().exitCode());
        }
    }

    @Test
    void aServiceWithoutAPortForwardsEachOfItsPortsOnOneReadAndOneWatchOfIt() throws Exception {
        int web = ServerProcess.freePort();
        int admin = ServerProcess.freePort();
        cluster.runPod("multi", "app-0", Map.of("app", "multi"), Map.of("web", 8080, "admin", 9090));
        cluster.route("multi", "app-0", 8080, clickhouse.address());
        cluster.route("multi", "app-0", 9090, metastore.address());
        cluster.createService("multi", "app", Map.of("app", "multi"), "web=" + web + ":web", "admin=" + admin + ":admin");
        cluster.takeRequests();
        try (RunningCli run = RunningCli.start(Map.of(), args("svc/app", "-n", "multi"))) {
            String err = run.awaitErr(e -> READY_LINE.matcher(e).results().count() == 2, READY);
            assertEquals(List.of("svc/app web 127.0.0.1:" + web + " -> multi/app-0:8080", "svc/app admin 127.0.0.1:" + admin + " -> multi/app-0:9090"),
                    READY_LINE.matcher(err).results().map(MatchResult::group).toList());
            int before = metastore.accepted();
            assertEquals("web", roundTrip(web, "web"));
            assertEquals("admin", roundTrip(admin, "admin"));
            assertEquals(before + 1, metastore.accepted(), "the admin port reaches the pod's admin port");

            List<String> asked = cluster.takeRequests().stream().map(RecordedRequest::getPath)
                    .filter(p -> p.startsWith("/api/v1/namespaces/multi/services/app")
                            || p.startsWith("/apis/discovery.k8s.io/v1/namespaces/multi/endpointslices?")
                            && URLDecoder.decode(p, StandardCharsets.UTF_8).contains("kubernetes.io/service-name=app"))
                    .map(p -> p.startsWith("/api/v1/") ? "read service" : p.contains("watch=true") ? "watch slices" : "list slices")
                    .sorted().toList();
            assertEquals(List.of("list slices", "read service", "watch slices"), asked);
            assertEquals(130, run.stop().exitCode());
        }
    }

    @Test
    void badInputIsOneLine() throws Exception {
        cluster.createService("apps", "selectorless", Map.of(), "80");
        assertOneLine(CliRun.run(args("mysql")), 2,
                "error: unknown target 'mysql': use clickhouse, hms, svc/NAME[:PORT] or pod/NAME:PORT (PORT is REMOTE or LOCAL:REMOTE)");
        assertOneLine(CliRun.run(args("pod/clickhouse-0")), 2, "error: 'pod/clickhouse-0' needs a port: pod/NAME:PORT or pod/NAME:LOCAL:PORT");
        assertOneLine(CliRun.run(args("clickhouse:0:5432")), 2, "error: 'clickhouse:0:5432': 5432 is none of its ports (8123 http, 9000 native)");
        assertOneLine(CliRun.run(args("--pod-timeout", "soon", "hms")), 2, "logexaminer: Invalid value for option '--pod-timeout': 'soon' is not a duration: use 500ms, 30s, 2m or 1h");
        assertOneLine(CliRun.run(args("-o", "json", "--print-env", "hms")), 2,
                "error: --print-env prints shell exports, which -o json does not allow; the JSON lines carry \"endpoint\" and \"env\"");
        assertOneLine(CliRun.run(args("svc/selectorless:80", "-n", "apps")), 1,
                "error: service apps/selectorless has no selector, so no pods to forward to; forward to a pod instead (pod/NAME:PORT)");
        assertOneLine(CliRun.run(args("svc/clickhouse:0:8080", "-n", "clickhouse")), 1,
                "error: service clickhouse/clickhouse does not expose port 8080 (it exposes 8123 (http), 9000 (native))");
        assertOneLine(CliRun.run(args("svc/nothing:80", "-n", "apps")), 1,
                "error: service apps/nothing not found on context " + KubernetesTestCluster.CONTEXT + " (" + cluster.url() + "/)");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertOneLine(CliRun.run(args("clickhouse:" + port + ":8123")), 1, "error: cannot listen on 127.0.0.1:" + port
                    + " (Address already in use); choose another local port: LOCAL:REMOTE, or 0:REMOTE for a free one");
        }
        Path unreachable = Files.writeString(dir.resolve("unreachable"), Files.readString(kubeconfig)
                .replace(cluster.url(), "http://127.0.0.1:" + ServerProcess.freePort()));
        CliRun r = CliRun.run("port-forward", "--kubeconfig", unreachable.toString(), "-f", dir.resolve("none.yaml").toString(), "hms");
        assertOneLine(r, 1, "error: cannot reach context " + KubernetesTestCluster.CONTEXT + " (http://127.0.0.1:");
        assertTrue(r.err().endsWith(") to read service hive/hive-metastore: connection refused\n"), r.err());
    }

    private static void assertOneLine(CliRun r, int exitCode, String start) {
        assertEquals(exitCode, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith(start), r::toString);
        if (!start.startsWith("logexaminer: ")) {
            assertEquals(1, r.err().lines().count(), r::toString);
        }
        assertFalse(r.err().contains("\tat "), r::toString);
        assertEquals("", r.out());
    }

    private static String roundTrip(int port, String text) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            byte[] back = socket.getInputStream().readNBytes(text.length());
            if (back.length < text.length()) {
                throw new IOException("connection closed after " + back.length + " bytes");
            }
            return new String(back, StandardCharsets.UTF_8);
        }
    }
}
