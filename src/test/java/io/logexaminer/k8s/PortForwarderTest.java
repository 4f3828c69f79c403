package io.logexaminer.k8s;

import io.logexaminer.error.OperationFailedException;
import io.logexaminer.testing.EchoServer;
import io.logexaminer.testing.IdleTimeoutProxy;
import io.logexaminer.testing.KubernetesTestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The port-forward library against the test cluster: pods bridged to real TCP servers on loopback. */
@Timeout(120)
class PortForwarderTest {
    @RegisterExtension
    static final KubernetesTestCluster cluster = new KubernetesTestCluster();

    static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static EchoServer echo;
    static ClusterClient client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() {
        echo = new EchoServer();
        client = ClusterClient.kubeconfig(new KubeconfigFiles(List.of(cluster.writeKubeconfig(dir))), Optional.empty());
    }

    @AfterAll
    static void tearDown() {
        client.close();
        echo.close();
    }

    /** A service {@code NAME} in {@code ns} on port 8123 (named http) to pod {@code NAME-0}'s port 8123, bridged to the echo server. */
    private static void echoService(String ns, String name) {
        cluster.runPod(ns, name + "-0", Map.of("app", name), Map.of("http", 8123));
        cluster.route(ns, name + "-0", 8123, echo.address());
        cluster.createService(ns, name, Map.of("app", name), "http=8123");
    }

    private static PortForwarder forwarder(List<String> notices) {
        return new PortForwarder(client, ForwardSettings.DEFAULT, notices::add);
    }

    @Test
    void largeRandomPayloadCrossesByteExactBothWays() throws Exception {
        echoService("bulk", "store");
        byte[] payload = new byte[24 * 1024 * 1024];
        new Random(5).nextBytes(payload);
        try (PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>())) {
            Forward forward = forwarder.open(ForwardTarget.service("bulk", "store", "8123"), ANY_LOOPBACK_PORT);
            assertEquals(Optional.of(new PodPort("store-0", 8123)), forward.nextPod());
            try (Socket socket = connect(forward)) {
                assertArrayEquals(payload, echoed(socket, payload));
            }
        }
    }

    @Test
    void whenThePodEndsTheStreamTheClientGetsAllOfItThenTheEnd() throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(payload);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(payload);
                } catch (IOException ignored) {
                    // the test fails on what it reads
                }
            });
            cluster.runPod("download", "files-0", Map.of(), Map.of());
            cluster.route("download", "files-0", 7000, (InetSocketAddress) server.getLocalSocketAddress());
            Forward forward = forwarder.open(ForwardTarget.pod("download", "files-0", "7000"), ANY_LOOPBACK_PORT);
            try (Socket socket = connect(forward)) {
                assertArrayEquals(payload, socket.getInputStream().readAllBytes());
            }
        }
    }

    @Test
    void fiftyConnectionsAtOnce() throws Exception {
        echoService("many", "fifty");
        try (PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Forward forward = forwarder.open(ForwardTarget.service("many", "fifty", "http"), ANY_LOOPBACK_PORT);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int seed = i;
                results.add(pool.submit(() -> {
                    byte[] payload = new byte[256 * 1024];
                    new Random(seed).nextBytes(payload);
                    try (Socket socket = connect(forward)) {
                        return java.util.Arrays.equals(payload, echoed(socket, payload));
                    }
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        }
    }

    @Test
    void aReplacedPodTakesNewConnectionsWithinTwoSeconds() throws Exception {
        echoService("moves", "db");
        List<String> notices = new CopyOnWriteArrayList<>();
        try (PortForwarder forwarder = forwarder(notices);
             EchoServer second = new EchoServer()) {
            Forward forward = forwarder.open(ForwardTarget.service("moves", "db", "8123"), ANY_LOOPBACK_PORT);
            assertRoundTrip(forward);

            cluster.client().pods().inNamespace("moves").withName("db-0").delete();
            cluster.route("moves", "db-1", 8123, second.address());
            cluster.runPod("moves", "db-1", Map.of("app", "db"), Map.of("http", 8123));
            long replaced = System.nanoTime();
            assertRoundTrip(forward);
            long tookMillis = (System.nanoTime() - replaced) / 1_000_000;
            assertTrue(tookMillis < 2000, "new connection after " + tookMillis + " ms");
            assertEquals(1, second.accepted(), "the new connection reached the new pod");
            assertEquals(Optional.of(new PodPort("db-1", 8123)), forward.nextPod());
            assertRoundTrip(forward);
        }
    }

    @Test
    void thePortsOfOneServiceShareItsWatchWhichOutlivesTheFirstForwardToClose() throws Exception {
        cluster.runPod("shared", "kv-0", Map.of("app", "kv"), Map.of("client", 6379, "admin", 6380));
        cluster.route("shared", "kv-0", 6379, echo.address());
        cluster.route("shared", "kv-0", 6380, echo.address());
        cluster.createService("shared", "kv", Map.of("app", "kv"), "client=16379:client", "admin=16380:admin");
        try (PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>());
             EchoServer second = new EchoServer()) {
            Forward client;
            Forward admin;
            try (ForwardedService kv = forwarder.service("shared", "kv")) {
                assertEquals(List.of("16379", "16380"), kv.ports());
                client = kv.open("client", InetAddress.getLoopbackAddress(), OptionalInt.of(0));
                admin = kv.open("16380", InetAddress.getLoopbackAddress(), OptionalInt.of(0));
            }
            assertEquals(Optional.of(new PodPort("kv-0", 6379)), client.nextPod());
            assertEquals(Optional.of(new PodPort("kv-0", 6380)), admin.nextPod());
            assertRoundTrip(client);
            client.close();

            cluster.client().pods().inNamespace("shared").withName("kv-0").delete();
            cluster.route("shared", "kv-1", 6380, second.address());
            cluster.runPod("shared", "kv-1", Map.of("app", "kv"), Map.of("client", 6379, "admin", 6380));
            assertRoundTrip(admin);
            assertEquals(1, second.accepted(), "the admin forward follows the new pod");
            assertEquals(Optional.of(new PodPort("kv-1", 6380)), admin.nextPod());
        }
    }

    @Test
    void aConnectionWaitsForAReadyPod() throws Exception {
        cluster.runPod("waits", "slow-0", Map.of("app", "slow"), Map.of("http", 8123), false);
        cluster.route("waits", "slow-0", 8123, echo.address());
        cluster.createService("waits", "slow", Map.of("app", "slow"), "8123");
        try (PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>())) {
            Forward forward = forwarder.open(ForwardTarget.service("waits", "slow", "8123"), ANY_LOOPBACK_PORT);
            assertEquals(Optional.empty(), forward.nextPod());
            Thread.ofVirtual().start(() -> {
                sleep(500);
                cluster.setReady("waits", "slow-0", true);
            });
            long start = System.nanoTime();
            assertRoundTrip(forward);
            assertTrue(System.nanoTime() - start >= 400_000_000L, "it waited for the pod");
        }
    }

    @Test
    void withoutAReadyPodAConnectionIsClosedWithAMessageAndTheForwardListensOn() throws Exception {
        cluster.runPod("none", "idle-0", Map.of("app", "idle"), Map.of("http", 8123), false);
        cluster.route("none", "idle-0", 8123, echo.address());
        cluster.createService("none", "idle", Map.of("app", "idle"), "8123");
        List<String> notices = new CopyOnWriteArrayList<>();
        try (PortForwarder forwarder = new PortForwarder(client, new ForwardSettings(Duration.ofMillis(300), Duration.ofSeconds(30)),
                notices::add)) {
            Forward forward = forwarder.open(ForwardTarget.service("none", "idle", "8123"), ANY_LOOPBACK_PORT);
            try (Socket socket = connect(forward)) {
                assertEquals(-1, socket.getInputStream().read(), "closed");
            }
            assertEquals(1, notices.size(), notices::toString);
            assertTrue(notices.getFirst().matches("none/svc/idle:8123: no ready pod behind service none/idle for 300ms; "
                    + "closed the connection from 127\\.0\\.0\\.1:\\d+; still listening"), notices.getFirst());
            cluster.setReady("none", "idle-0", true);
            assertRoundTrip(forward);
        }
    }

    @Test
    void namedTargetPortsResolveToThePodsPort() throws Exception {
        cluster.runPod("named", "ch-0", Map.of("app", "ch"), Map.of("web", 18123));
        cluster.route("named", "ch-0", 18123, echo.address());
        cluster.createService("named", "ch", Map.of("app", "ch"), "http=8123:web");
        try (PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>())) {
            Forward forward = forwarder.open(ForwardTarget.service("named", "ch", "http"), ANY_LOOPBACK_PORT);
            assertEquals(Optional.of(new PodPort("ch-0", 18123)), forward.nextPod());
            assertRoundTrip(forward);
            Forward byPodPortName = forwarder.open(ForwardTarget.pod("named", "ch-0", "web"), ANY_LOOPBACK_PORT);
            assertEquals(Optional.of(new PodPort("ch-0", 18123)), byPodPortName.nextPod());
            assertRoundTrip(byPodPortName);
        }
    }

    @Test
    void aRefusedPodPortIsReportedAndOtherConnectionsCarryOn() throws Exception {
        cluster.runPod("refuse", "api-0", Map.of("app", "api"), Map.of("http", 8080));
        cluster.route("refuse", "api-0", 8080, echo.address());
        List<String> notices = new CopyOnWriteArrayList<>();
        try (PortForwarder forwarder = forwarder(notices)) {
            Forward good = forwarder.open(ForwardTarget.pod("refuse", "api-0", "8080"), ANY_LOOPBACK_PORT);
            Forward closedPort = forwarder.open(ForwardTarget.pod("refuse", "api-0", "9999"), ANY_LOOPBACK_PORT);
            try (Socket held = connect(good)) {
                assertArrayEquals("before".getBytes(), echoed(held, "before".getBytes()));
                try (Socket refused = connect(closedPort)) {
                    refused.getOutputStream().write("hello".getBytes());
                    assertEquals(-1, refused.getInputStream().read());
                }
                assertArrayEquals("after".getBytes(), echoed(held, "after".getBytes()), "the held connection carries on");
            }
            waitFor(() -> !notices.isEmpty());
            assertTrue(notices.getFirst().startsWith("refuse/api-0:9999: error forwarding port 9999 to pod api-0"), notices.toString());
        }
    }

    @Test
    void aResetConnectionLeavesTheOthersAlone() throws Exception {
        echoService("reset", "svc");
        try (PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>())) {
            Forward forward = forwarder.open(ForwardTarget.service("reset", "svc", "8123"), ANY_LOOPBACK_PORT);
            try (Socket kept = connect(forward)) {
                Socket broken = connect(forward);
                assertArrayEquals("x".getBytes(), echoed(broken, "x".getBytes()));
                broken.setSoLinger(true, 0);
                broken.close();
                assertArrayEquals("still".getBytes(), echoed(kept, "still".getBytes()));
                assertRoundTrip(forward);
            }
        }
    }

    @Test
    void keepAliveFramesOutliveAnIdleTimeoutOnTheWay() throws Exception {
        echoService("idle", "quiet");
        try (IdleTimeoutProxy proxy = new IdleTimeoutProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(cluster.url().replaceAll(".*:", ""))), Duration.ofMillis(800))) {
            Path kubeconfig = Files.writeString(dir.resolve("proxied"),
                    Files.readString(cluster.writeKubeconfig(dir)).replace(cluster.url(), "http://127.0.0.1:" + proxy.port()));
            try (ClusterClient proxied = ClusterClient.kubeconfig(new KubeconfigFiles(List.of(kubeconfig)), Optional.empty());
                 PortForwarder kept = new PortForwarder(proxied, new ForwardSettings(Duration.ofSeconds(5), Duration.ofMillis(200)), s -> { });
                 PortForwarder unkept = new PortForwarder(proxied, new ForwardSettings(Duration.ofSeconds(5), Duration.ofHours(1)), s -> { })) {
                Forward withKeepAlive = kept.open(ForwardTarget.service("idle", "quiet", "8123"), ANY_LOOPBACK_PORT);
                Forward without = unkept.open(ForwardTarget.service("idle", "quiet", "8123"), ANY_LOOPBACK_PORT);
                try (Socket a = connect(withKeepAlive); Socket b = connect(without)) {
                    assertArrayEquals("1".getBytes(), echoed(a, "1".getBytes()));
                    assertArrayEquals("1".getBytes(), echoed(b, "1".getBytes()));
                    Thread.sleep(2000);
                    assertArrayEquals("2".getBytes(), echoed(a, "2".getBytes()), "kept alive across 2s of silence");
                    b.getOutputStream().write("2".getBytes());
                    assertEquals(-1, b.getInputStream().read(), "without keep-alive the proxy cut it");
                }
            }
        }
    }

    @Test
    void badTargetsAreOneClearLine() throws Exception {
        cluster.createService("bad", "external", Map.of(), "80");
        echoService("bad", "web");
        try (PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>())) {
            assertEquals("service bad/nothing not found on context " + KubernetesTestCluster.CONTEXT + " (" + cluster.url() + "/)",
                    assertThrows(OperationFailedException.class,
                            () -> forwarder.open(ForwardTarget.service("bad", "nothing", "80"), ANY_LOOPBACK_PORT)).getMessage());
            assertEquals("service bad/external has no selector, so no pods to forward to; forward to a pod instead (pod/NAME:PORT)",
                    assertThrows(OperationFailedException.class,
                            () -> forwarder.open(ForwardTarget.service("bad", "external", "80"), ANY_LOOPBACK_PORT)).getMessage());
            assertEquals("service bad/web does not expose port 9000 (it exposes 8123 (http))",
                    assertThrows(OperationFailedException.class,
                            () -> forwarder.open(ForwardTarget.service("bad", "web", "9000"), ANY_LOOPBACK_PORT)).getMessage());
            assertEquals("pod bad/web-0 has no port named grpc (it has 8123 (http))",
                    assertThrows(OperationFailedException.class,
                            () -> forwarder.open(ForwardTarget.pod("bad", "web-0", "grpc"), ANY_LOOPBACK_PORT)).getMessage());
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                String message = assertThrows(OperationFailedException.class, () -> forwarder.open(ForwardTarget.service("bad", "web", "8123"),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()))).getMessage();
                assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                        + " (Address already in use); choose another local port: LOCAL:REMOTE, or 0:REMOTE for a free one", message);
            }
        }
    }

    @Test
    void closingTheForwarderClosesItsConnections() throws Exception {
        echoService("closing", "svc");
        PortForwarder forwarder = forwarder(new CopyOnWriteArrayList<>());
        Forward forward = forwarder.open(ForwardTarget.service("closing", "svc", "8123"), ANY_LOOPBACK_PORT);
        try (Socket socket = connect(forward)) {
            assertArrayEquals("x".getBytes(), echoed(socket, "x".getBytes()));
            forwarder.close();
            assertEquals(-1, socket.getInputStream().read());
        }
        assertThrows(IOException.class, () -> connect(forward).getInputStream().read());
    }

    static Socket connect(Forward forward) throws IOException {
        Socket socket = new Socket();
        socket.connect(forward.localAddress(), 2000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    static void assertRoundTrip(Forward forward) throws IOException {
        try (Socket socket = connect(forward)) {
            assertArrayEquals("ping".getBytes(), echoed(socket, "ping".getBytes()));
        }
    }

    /** Writes {@code payload} from one thread while reading as many bytes back on this one. */
    static byte[] echoed(Socket socket, byte[] payload) throws IOException {
        OutputStream out = socket.getOutputStream();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int off = 0; off < payload.length; off += 100_000) {
                    out.write(payload, off, Math.min(100_000, payload.length - off));
                }
                out.flush();
            } catch (IOException ignored) {
                // the read side reports it
            }
        });
        byte[] back = new byte[payload.length];
        InputStream in = socket.getInputStream();
        int read = 0;
        try {
            while (read < back.length) {
                int n = in.read(back, read, back.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("timed out after " + read + " of " + back.length + " bytes", e);
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return read == back.length ? back : java.util.Arrays.copyOf(back, read);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 5s");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
