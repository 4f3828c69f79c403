package io.logexaminer.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a real server that breaks some HTTP requests on purpose: it resets
 * connections (before the answer, in the middle of a response body, in the middle of an upload), flips a byte of a
 * blob it serves, answers 503, or answers 429 with {@code Retry-After: 1}. Every fault happens at least once (the first eligible requests get them),
 * then at random with the given rate; a rate of 0 breaks nothing. Each connection carries one request
 * ({@code Connection: close} is added), so every request is judged on its own. It keeps every request's head, can
 * answer blob downloads with a redirect to another host, refuse uploads as ECR does before a repository exists, and
 * can act as a distant link: a delay before each answer
 * and a bandwidth per connection.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Fault { RESET_BEFORE_ANSWER, RESET_MID_RESPONSE, RESET_MID_UPLOAD, CORRUPT_BLOB, UNAVAILABLE_503, TOO_MANY_429 }

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final double rate;
    private final Random random = new Random(42);
    private final Deque<Fault> firstOnes = new ArrayDeque<>(java.util.List.of(Fault.values()));
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final java.util.List<String> heads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean enabled = true;
    private volatile String redirectBlobsTo;
    private volatile String extraResponseHeaders = "";
    private volatile long latencyMillis;
    private volatile boolean repositoryMissing;
    private final AtomicInteger refusedUploads = new AtomicInteger();
    private final AtomicInteger tlsHandshakes = new AtomicInteger();
    private volatile long bytesPerSecond;

    public FaultProxy(String upstreamHostAndPort, double rate) {
        int colon = upstreamHostAndPort.lastIndexOf(':');
        this.upstreamHost = upstreamHostAndPort.substring(0, colon);
        this.upstreamPort = Integer.parseInt(upstreamHostAndPort.substring(colon + 1));
        this.rate = rate;
        if (rate == 0) {
            firstOnes.clear();
        }
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicInteger());
        }
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor.submit(this::accept);
    }

    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** How many times each fault was injected. */
    public Map<Fault, Integer> injected() {
        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        injected.forEach((f, n) -> counts.put(f, n.get()));
        return counts;
    }

    /** The head (request line and headers) of every request that came through, in order. */
    public java.util.List<String> heads() {
        return java.util.List.copyOf(heads);
    }

    /** Answers every blob download with 307 to the same path on {@code host}, as registries send clients to storage. */
    public void redirectBlobsTo(String host) {
        redirectBlobsTo = host;
    }

    /** Makes the link distant: {@code latency} before each answer, at most {@code bytesPerSecond} per connection each way. */
    public void distant(java.time.Duration latency, long bytesPerSecond) {
        this.latencyMillis = latency.toMillis();
        this.bytesPerSecond = bytesPerSecond;
    }

    /** While on, answers upload starts with 404 NAME_UNKNOWN, as ECR does for a repository not created yet. */
    public void repositoryMissing(boolean missing) {
        repositoryMissing = missing;
    }

    public int refusedUploads() {
        return refusedUploads.get();
    }

    /** How many connections opened with a TLS handshake (passed through to the upstream, which may refuse it). */
    public int tlsHandshakes() {
        return tlsHandshakes.get();
    }

    /** Adds {@code header} ({@code Name: value}) to every response, as Docker Hub adds its rate limit. */
    public void addResponseHeader(String header) {
        extraResponseHeaders += header + "\r\n";
    }

    /** Stops breaking requests (to check results through the same address). */
    public void disable() {
        enabled = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                executor.submit(() -> handle(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private synchronized Fault choose(String method, String path) {
        if (!enabled) {
            return null;
        }
        boolean blobGet = method.equals("GET") && path.contains("/blobs/sha256:");
        boolean upload = method.equals("PATCH") || (method.equals("PUT") && path.contains("/blobs/uploads/"));
        for (Fault f : firstOnes) {
            if (eligible(f, blobGet, upload)) {
                firstOnes.remove(f);
                return f;
            }
        }
        if (random.nextDouble() >= rate) {
            return null;
        }
        Fault f = Fault.values()[random.nextInt(Fault.values().length)];
        return eligible(f, blobGet, upload) ? f : Fault.UNAVAILABLE_503;
    }

    private static boolean eligible(Fault f, boolean blobGet, boolean upload) {
        return switch (f) {
            case RESET_MID_RESPONSE, CORRUPT_BLOB -> blobGet;
            case RESET_MID_UPLOAD -> upload;
            default -> true;
        };
    }

    private void handle(Socket client) {
        try (client) {
            java.io.PushbackInputStream in = new java.io.PushbackInputStream(client.getInputStream(), 1);
            int first = in.read();
            if (first < 0) {
                return;
            }
            in.unread(first);
            if (first == 0x16) {
                // A TLS handshake (the tool probing for HTTPS): passed through untouched.
                tlsHandshakes.incrementAndGet();
                try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
                    OutputStream toUpstream = upstream.getOutputStream();
                    executor.submit(() -> pipe(in, toUpstream, Long.MAX_VALUE, client, upstream));
                    pipe(upstream.getInputStream(), client.getOutputStream(), Long.MAX_VALUE, client, upstream);
                }
                return;
            }
            String head = readHead(in);
            if (head == null) {
                return;
            }
            heads.add(head);
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            if (redirectBlobsTo != null && requestLine[0].equals("GET") && requestLine[1].contains("/blobs/sha256:")) {
                answer(client, "307 Temporary Redirect", "Location: http://" + redirectBlobsTo + requestLine[1] + "\r\n");
                return;
            }
            if (repositoryMissing && requestLine[0].equals("POST") && requestLine[1].contains("/blobs/uploads/")) {
                refusedUploads.incrementAndGet();
                byte[] body = "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                client.getOutputStream().write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nDocker-Distribution-Api-Version: registry/2.0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().write(body);
                client.getOutputStream().flush();
                return;
            }
            Fault fault = choose(requestLine[0], requestLine[1]);
            if (fault != null) {
                injected.get(fault).incrementAndGet();
            }
            switch (fault == null ? "" : fault.name()) {
                case "RESET_BEFORE_ANSWER" -> {
                    reset(client);
                    return;
                }
                case "UNAVAILABLE_503" -> {
                    answer(client, "503 Service Unavailable", "");
                    return;
                }
                case "TOO_MANY_429" -> {
                    answer(client, "429 Too Many Requests", "Retry-After: 1\r\n");
                    return;
                }
                default -> { }
            }
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
                OutputStream up = upstream.getOutputStream();
                up.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
                up.flush();
                long uploadLimit = fault == Fault.RESET_MID_UPLOAD ? 64 * 1024 : Long.MAX_VALUE;
                executor.submit(() -> pipe(in, up, uploadLimit, client, upstream));
                long responseLimit = fault == Fault.RESET_MID_RESPONSE ? 64 * 1024 : Long.MAX_VALUE;
                InputStream fromUpstream = upstream.getInputStream();
                if (!extraResponseHeaders.isEmpty() || fault == Fault.CORRUPT_BLOB) {
                    String responseHead = readHead(fromUpstream);
                    if (responseHead == null) {
                        return;
                    }
                    int endOfStatus = responseHead.indexOf("\r\n") + 2;
                    client.getOutputStream().write((responseHead.substring(0, endOfStatus) + extraResponseHeaders
                            + responseHead.substring(endOfStatus)).getBytes(StandardCharsets.ISO_8859_1));
                    if (fault == Fault.CORRUPT_BLOB) {
                        int firstByte = fromUpstream.read();
                        if (firstByte >= 0) {
                            client.getOutputStream().write(firstByte ^ 0xff);
                        }
                    }
                }
                pipe(fromUpstream, client.getOutputStream(), responseLimit, client, upstream);
            }
        } catch (IOException ignored) {
            // The client or the server went away; this connection is over either way.
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies until the end, or resets both connections after {@code limit} bytes; no faster than the bandwidth. */
    private void pipe(InputStream from, OutputStream to, long limit, Socket client, Socket upstream) {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        long start = System.nanoTime();
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                long rate = bytesPerSecond;
                if (rate > 0) {
                    long due = start + (copied + n) * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                if (copied + n > limit) {
                    to.write(buffer, 0, (int) (limit - copied));
                    to.flush();
                    reset(client);
                    reset(upstream);
                    return;
                }
                to.write(buffer, 0, n);
                to.flush();
                copied += n;
            }
        } catch (IOException ignored) {
            // One side closed: the other side's copy ends too.
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static String withConnectionClose(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.isEmpty() && !line.toLowerCase(java.util.Locale.ROOT).startsWith("connection:")) {
                out.append(line).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private static void answer(Socket client, String status, String headers) throws IOException {
        client.getOutputStream().write(("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
        client.shutdownOutput();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // Already gone: as good as reset.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing a listening socket does not fail in a way that matters here.
        }
        executor.shutdownNow();
    }
}
