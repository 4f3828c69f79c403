package io.logexaminer.bench;

import io.logexaminer.k8s.ClusterClient;
import io.logexaminer.k8s.Forward;
import io.logexaminer.k8s.ForwardSettings;
import io.logexaminer.k8s.ForwardTarget;
import io.logexaminer.k8s.KubeconfigFiles;
import io.logexaminer.k8s.PortForwarder;
import io.logexaminer.testing.EchoServer;
import io.logexaminer.testing.KubernetesTestCluster;
import io.logexaminer.testing.RunningCli;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * port-forward against direct TCP to the same echo server, in one run: throughput and request latency (the peer is
 * the direct connection), and the time from start to the ready line (the peer is the same process printing its
 * version, and kubectl starting, when it is installed). The test cluster's own ceiling is measured too: a bare JDK
 * WebSocket speaking the port-forward protocol straight to the mock server, which relays to the same echo server.
 */
class PortForwardBenchmark {
    @RegisterExtension
    static final KubernetesTestCluster cluster = new KubernetesTestCluster();

    private static final int THROUGHPUT_BYTES = 64 * 1024 * 1024;
    private static final int ROUND_TRIPS = 5000;
    private static final int READY_RUNS = 5;

    @TempDir
    Path dir;

    @Test
    void portForwardAgainstDirectTcp() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            cluster.runPod("bench", "echo-0", Map.of("app", "echo"), Map.of("echo", 7000));
            cluster.route("bench", "echo-0", 7000, echo.address());
            cluster.createService("bench", "echo", Map.of("app", "echo"), "7000");
            Path kubeconfig = cluster.writeKubeconfig(dir);
            String[] forwardArgs = {"port-forward", "--kubeconfig", kubeconfig.toString(), "-f", dir.resolve("none.yaml").toString(),
                    "-n", "bench", "svc/echo:0:7000"};

            long coldMillis = readyInProcess(forwardArgs);
            List<Long> warm = new ArrayList<>();
            for (int i = 0; i < READY_RUNS; i++) {
                warm.add(readyInProcess(forwardArgs));
            }

            try (ClusterClient client = ClusterClient.kubeconfig(new KubeconfigFiles(List.of(kubeconfig)), Optional.empty());
                 PortForwarder forwarder = new PortForwarder(client, ForwardSettings.DEFAULT, System.err::println)) {
                Forward forward = forwarder.open(ForwardTarget.service("bench", "echo", "7000"),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                InetSocketAddress direct = echo.address();
                InetSocketAddress forwarded = forward.localAddress();

                URI portForward = URI.create(cluster.url().replaceFirst("^http", "ws") + "/api/v1/namespaces/bench/pods/echo-0/portforward?ports=7000");
                throughput(direct, 8 * 1024 * 1024);
                throughput(forwarded, 8 * 1024 * 1024);
                webSocketThroughput(portForward, 8 * 1024 * 1024);
                double directMibs = best(() -> throughput(direct, THROUGHPUT_BYTES));
                double forwardMibs = best(() -> throughput(forwarded, THROUGHPUT_BYTES));
                double ceilingMibs = best(() -> webSocketThroughput(portForward, THROUGHPUT_BYTES));

                latencies(direct, 500);
                latencies(forwarded, 500);
                long[] directLatency = latencies(direct, ROUND_TRIPS);
                long[] forwardLatency = latencies(forwarded, ROUND_TRIPS);

                System.out.println("port-forward vs direct TCP to the same echo server, loopback, one run (2 cores shared)");
                System.out.printf("  throughput  direct %.0f MiB/s, forward %.0f MiB/s: ratio %.2f (goal >= 0.50)%n",
                        directMibs, forwardMibs, forwardMibs / directMibs);
                System.out.printf("              test cluster's ceiling: a bare JDK WebSocket through the same mock server %.0f MiB/s "
                                + "(%.2f of direct); the forward reaches %.2f of it%n",
                        ceilingMibs, ceilingMibs / directMibs, forwardMibs / ceilingMibs);
                double addedMs = (median(forwardLatency) - median(directLatency)) / 1e6;
                System.out.printf("  latency     %d round trips of 64 bytes: direct median %.0f us (p99 %.0f us), forward median %.0f us "
                                + "(p99 %.0f us): added median %.2f ms, %.1fx direct (goal < 1 ms added)%n",
                        ROUND_TRIPS, median(directLatency) / 1e3, p99(directLatency) / 1e3, median(forwardLatency) / 1e3,
                        p99(forwardLatency) / 1e3, addedMs, (double) median(forwardLatency) / median(directLatency));
            }

            System.out.printf("  ready       in-process: first run in this JVM %d ms, then median %d ms of %d (goal < 1 s)%n",
                    coldMillis, medianOf(warm), READY_RUNS);
            readyAsProcess(forwardArgs);
        }
    }

    /** Runs the command in this JVM and returns the milliseconds until its ready line. */
    private static long readyInProcess(String[] args) throws Exception {
        long start = System.nanoTime();
        try (RunningCli run = RunningCli.start(Map.of(), args)) {
            run.awaitErr(e -> e.contains(" -> "), Duration.ofSeconds(30));
            long millis = (System.nanoTime() - start) / 1_000_000;
            run.stop();
            return millis;
        }
    }

    /**
     * The command as a process on the jar in target/ (built by mvn package), with the JVM launcher's flags: plain,
     * and with an AOT cache trained here on one port-forward run (JDK 25 or newer), against the same process
     * printing its version and kubectl starting.
     */
    private void readyAsProcess(String[] args) throws Exception {
        Path jar = TestBinaries.projectDir().resolve("target/logexaminer.jar");
        if (!Files.exists(jar) || !Files.isDirectory(TestBinaries.projectDir().resolve("target/lib"))) {
            System.out.println("              process: skipped, no target/logexaminer.jar (run mvn package -DskipTests first)");
            return;
        }
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-Xlog:disable", "-Xlog:all=error:stderr", "-cp", jar.toString());
        Optional<Path> aot = Runtime.version().feature() >= 25 ? Optional.of(trainAotCache(java, args)) : Optional.empty();
        List<Long> plain = new ArrayList<>();
        List<Long> cached = new ArrayList<>();
        List<Long> cachedCpu = new ArrayList<>();
        List<Long> version = new ArrayList<>();
        List<Long> kubectl = new ArrayList<>();
        Optional<Path> kubectlBinary = kubectl();
        for (int i = 0; i < READY_RUNS; i++) {
            plain.add(untilReady(concat(java, MAIN, args), new ArrayList<>()));
            if (aot.isPresent()) {
                cached.add(untilReady(concat(withFlag(java, "-XX:AOTCache=" + aot.get()), MAIN, args), cachedCpu));
            }
            version.add(untilExit(concat(java, MAIN, new String[]{"--version"})));
            kubectlBinary.ifPresent(k -> kubectl.add(untilExit(List.of(k.toString(), "version", "--client"))));
        }
        long versionMs = medianOf(version);
        System.out.printf("              process from target/ (median of %d): %d ms plain JVM%s; the same process printing its "
                        + "version takes %d ms%s%n", READY_RUNS, medianOf(plain),
                aot.map(a -> String.format(", %d ms with an AOT cache trained on port-forward (%.1fx its --version)", medianOf(cached),
                        (double) medianOf(cached) / versionMs)).orElse(" (no AOT cache before JDK 25)"), versionMs,
                kubectl.isEmpty() ? "" : String.format(", kubectl version --client %d ms", medianOf(kubectl)));
        if (!cachedCpu.isEmpty()) {
            System.out.printf("              CPU the AOT-cached process used until its ready line (all threads, JIT included): median %d ms "
                    + "(more than the wall time means it ran on both cores; on a busy machine the wall time follows it)%n", medianOf(cachedCpu));
        }
    }

    private static final String[] MAIN = {"io.logexaminer.cli.Main"};

    /** One run with -XX:AOTCacheOutput: ready, one connection through the forward, then SIGTERM (a clean exit). */
    private Path trainAotCache(List<String> java, String[] args) throws Exception {
        Path cache = dir.resolve("port-forward.aot");
        List<String> command = concat(withFlag(java, "-XX:AOTCacheOutput=" + cache), MAIN, args, new String[]{"-o", "json"});
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            int port = Integer.parseInt(line.replaceAll(".*\"localPort\":(\\d+).*", "$1"));
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.getOutputStream().write("train".getBytes(StandardCharsets.UTF_8));
                socket.getInputStream().readNBytes(5);
            }
            process.destroy();
            if (!process.waitFor(5, TimeUnit.MINUTES) || !Files.exists(cache)) {
                throw new IllegalStateException("no AOT cache from the training run");
            }
            return cache;
        }
    }

    private static Optional<Path> kubectl() {
        try {
            return Optional.of(TestBinaries.require("kubectl"));
        } catch (org.junit.jupiter.api.extension.ExtensionConfigurationException e) {
            return Optional.empty();
        }
    }

    /** Milliseconds until the ready line; adds the CPU milliseconds the process used by then to {@code cpu} (Linux only). */
    private static long untilReady(List<String> command, List<Long> cpu) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                if (line.contains(" -> ")) {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    cpuMillis(process).ifPresent(cpu::add);
                    return millis;
                }
            }
            throw new IllegalStateException("no ready line from " + command);
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** User and system time of a running process from /proc (clock ticks of 10 ms), where there is one. */
    private static Optional<Long> cpuMillis(Process process) throws IOException {
        Path stat = Path.of("/proc", String.valueOf(process.pid()), "stat");
        if (!Files.exists(stat)) {
            return Optional.empty();
        }
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Optional.of((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10);
    }

    private static long untilExit(List<String> command) {
        long start = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** MiB/s of an echo of {@code bytes}: written by one thread and read back on this one. */
    private static double throughput(InetSocketAddress address, int bytes) throws IOException {
        byte[] chunk = new byte[256 * 1024];
        new Random(1).nextBytes(chunk);
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int sent = 0; sent < bytes; sent += chunk.length) {
                        out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
                    }
                } catch (IOException ignored) {
                    // the reader fails on the missing bytes
                }
            });
            byte[] back = new byte[chunk.length];
            long received = 0;
            byte[] last = null;
            while (received < bytes) {
                int n = in.read(back, 0, (int) Math.min(back.length, bytes - received));
                if (n < 0) {
                    throw new IOException("ended after " + received + " of " + bytes + " bytes");
                }
                received += n;
                last = back;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            join(writer);
            assertTrue(last != null);
            return bytes / (1024.0 * 1024.0) / seconds;
        }
    }

    /**
     * MiB/s of an echo of {@code bytes} over a bare JDK WebSocket to the pod's {@code portforward} URL: frames of the
     * tool's size on the data channel, each sent once the previous one has left (the JDK allows one at a time).
     */
    private static double webSocketThroughput(URI portForward, int bytes) throws IOException {
        DataChannelCounter counter = new DataChannelCounter(bytes);
        HttpClient http = HttpClient.newHttpClient();
        WebSocket webSocket = http.newWebSocketBuilder().subprotocols("v4.channel.k8s.io").buildAsync(portForward, counter).join();
        byte[] frame = new byte[64 * 1024];
        new Random(1).nextBytes(frame);
        frame[0] = 0;
        long start = System.nanoTime();
        for (int sent = 0; sent < bytes; sent += frame.length - 1) {
            webSocket.sendBinary(ByteBuffer.wrap(frame, 0, 1 + Math.min(frame.length - 1, bytes - sent)), true).join();
        }
        try {
            counter.all.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the echo over the bare WebSocket ended after " + counter.received + " of " + bytes + " bytes", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        http.close();
        return bytes / (1024.0 * 1024.0) / seconds;
    }

    /** Counts the data channel's bytes after its two-byte port header; completes {@code all} at {@code expected}. */
    private static final class DataChannelCounter implements WebSocket.Listener {
        final CompletableFuture<Void> all = new CompletableFuture<>();
        final long expected;
        volatile long received;
        private boolean messageStart = true;
        private boolean dataChannel;
        private int header;

        DataChannelCounter(long expected) {
            this.expected = expected;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(16);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (messageStart && data.hasRemaining()) {
                dataChannel = data.get() == 0;
            }
            messageStart = last;
            if (dataChannel) {
                while (header < 2 && data.hasRemaining()) {
                    data.get();
                    header++;
                }
                received += data.remaining();
                if (received >= expected) {
                    all.complete(null);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    /** Nanoseconds of each request/response round trip of 64 bytes on one connection. */
    private static long[] latencies(InetSocketAddress address, int count) throws IOException {
        byte[] request = new byte[64];
        new Random(2).nextBytes(request);
        byte[] response = new byte[64];
        long[] nanos = new long[count];
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                out.write(request);
                int read = 0;
                while (read < response.length) {
                    int n = in.read(response, read, response.length - read);
                    if (n < 0) {
                        throw new IOException("closed");
                    }
                    read += n;
                }
                nanos[i] = System.nanoTime() - start;
            }
            assertArrayEquals(request, response);
        }
        return nanos;
    }

    private interface Measure {
        double run() throws IOException;
    }

    private static double best(Measure measure) throws IOException {
        double best = 0;
        for (int i = 0; i < 3; i++) {
            best = Math.max(best, measure.run());
        }
        return best;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long p99(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) (sorted.length * 0.99)];
    }

    private static long medianOf(List<Long> values) {
        return median(values.stream().mapToLong(Long::longValue).toArray());
    }

    private static List<String> withFlag(List<String> java, String flag) {
        List<String> all = new ArrayList<>(java);
        all.add(1, flag);
        return all;
    }

    private static List<String> concat(List<String> head, String[]... tails) {
        List<String> all = new ArrayList<>(head);
        for (String[] tail : tails) {
            all.addAll(Arrays.asList(tail));
        }
        return all;
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
