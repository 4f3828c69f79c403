package io.logexaminer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A proxy on loopback in front of moto server that passes every request through, and on demand: holds chosen
 * operations for a while (AWS-like durations), answers a share of requests with throttling or 5xx before they reach
 * moto, rewrites chosen answers (a status that moto never reports, such as CREATING), and answers the EKS add-on
 * operations, which moto does not have, from a small in-memory table. Operations are named {@code service:Action}, as
 * in {@code eks:CreateCluster} or {@code rds:CreateDBInstance}.
 */
public final class AwsProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");
    private static final Pattern ADDON_PATH = Pattern.compile("/clusters/([^/]+)/addons(?:/([^/]+))?(/update)?");

    private record Rewrite(Pattern pattern, String replacement, AtomicInteger remaining) {
    }

    private record Canned(int status, String contentType, String body) {
    }

    private final String upstream;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, Rewrite> rewrites = new ConcurrentHashMap<>();
    private final Map<String, Canned> canned = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final EksAddons addons = new EksAddons();
    private volatile double faultRate;
    private volatile Random faults = new Random(0);
    private final AtomicInteger injected = new AtomicInteger();

    public AwsProxy(String upstream) {
        this.upstream = upstream;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the AWS proxy", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code environment} with the endpoint pointed at this proxy. */
    public Map<String, String> environment(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("AWS_ENDPOINT_URL", endpoint());
        return env;
    }

    /** Holds every {@code operation} for {@code duration} before passing it on. */
    public void delay(String operation, Duration duration) {
        delays.put(operation, duration);
    }

    /** Answers a share of all requests with 429 or 503 (alternately) instead of passing them on. */
    public void failRandomly(double rate, long seed) {
        faults = new Random(seed);
        faultRate = rate;
    }

    public int faultsInjected() {
        return injected.get();
    }

    /** Replaces {@code regex} in the next {@code times} answers to {@code operation}. */
    public void rewrite(String operation, String regex, String replacement, int times) {
        rewrites.put(operation, new Rewrite(Pattern.compile(regex), replacement, new AtomicInteger(times)));
    }

    /** Answers every {@code operation} with this error instead of passing it on, as AWS would refuse it. */
    public void refuse(String operation, int status, String contentType, String body) {
        canned.put(operation, new Canned(status, contentType, body));
    }

    /** An EC2-style (query protocol) error body. */
    public static String ec2Error(String code, String message) {
        return "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message + "</Message></Error></Errors>"
                + "<RequestID>test</RequestID></Response>";
    }

    /** Requests seen per operation. */
    public Map<String, Integer> requests() {
        Map<String, Integer> out = new HashMap<>();
        requests.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public EksAddons addons() {
        return addons;
    }

    /** The operation a request calls: {@code X-Amz-Target} (JSON protocols), {@code Action=} (query protocols), else the REST route. */
    static String operation(String service, String method, String path, Map<String, List<String>> headers, String body) {
        String target = header(headers, "X-Amz-Target");
        if (target != null) {
            return service + ":" + target.substring(target.indexOf('.') + 1);
        }
        Matcher action = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)").matcher(body);
        if (action.find()) {
            return service + ":" + action.group(1);
        }
        if (service.equals("eks")) {
            String p = path.replaceAll("\\?.*", "");
            if (p.equals("/clusters")) {
                return method.equals("POST") ? "eks:CreateCluster" : "eks:ListClusters";
            }
            if (p.matches("/clusters/[^/]+")) {
                return method.equals("DELETE") ? "eks:DeleteCluster" : "eks:DescribeCluster";
            }
            if (p.matches("/clusters/[^/]+/node-groups")) {
                return method.equals("POST") ? "eks:CreateNodegroup" : "eks:ListNodegroups";
            }
            if (p.matches("/clusters/[^/]+/node-groups/[^/]+")) {
                return method.equals("DELETE") ? "eks:DeleteNodegroup" : "eks:DescribeNodegroup";
            }
            if (p.matches("/clusters/[^/]+/addons")) {
                return method.equals("POST") ? "eks:CreateAddon" : "eks:ListAddons";
            }
            if (p.matches("/clusters/[^/]+/addons/[^/]+")) {
                return method.equals("DELETE") ? "eks:DeleteAddon" : "eks:DescribeAddon";
            }
        }
        return service + ":" + method + " " + path.replaceAll("\\?.*", "");
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().getFirst();
            }
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? ""
                    : "?" + exchange.getRequestURI().getRawQuery());
            Map<String, List<String>> headers = exchange.getRequestHeaders();
            String authorization = header(headers, "Authorization");
            Matcher m = SERVICE.matcher(authorization == null ? "" : authorization);
            String service = m.find() ? m.group(1) : "unknown";
            String operation = operation(service, method, path, headers, new String(body, StandardCharsets.UTF_8));
            requests.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            if (faultRate > 0 && nextFault()) {
                boolean throttle = injected.incrementAndGet() % 2 == 0;
                exchange.sendResponseHeaders(throttle ? 429 : 503, -1);
                return;
            }
            Canned refusal = canned.get(operation);
            if (refusal != null) {
                byte[] out = refusal.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", refusal.contentType());
                exchange.sendResponseHeaders(refusal.status(), out.length);
                exchange.getResponseBody().write(out);
                return;
            }
            Duration delay = delays.get(operation);
            if (delay != null) {
                Thread.sleep(delay);
            }
            Matcher addon = ADDON_PATH.matcher(exchange.getRequestURI().getRawPath());
            if (service.equals("eks") && addon.matches()) {
                addons.answer(exchange, method, addon.group(1), addon.group(2), addon.group(3) != null, body);
                return;
            }
            if (service.equals("eks") && path.startsWith("/tags/") && URLDecoder.decode(path, StandardCharsets.UTF_8).contains(":addon/")) {
                addons.tag(exchange, method, URLDecoder.decode(path.substring("/tags/".length()).replaceAll("\\?.*", ""),
                        StandardCharsets.UTF_8), body);
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream + path))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] out = answer.body();
            Rewrite rewrite = rewrites.get(operation);
            if (rewrite != null && rewrite.remaining().getAndDecrement() > 0) {
                out = rewrite.pattern().matcher(new String(out, StandardCharsets.UTF_8)).replaceAll(rewrite.replacement())
                        .getBytes(StandardCharsets.UTF_8);
            }
            if (method.equals("DELETE") && operation.equals("eks:DeleteCluster") && answer.statusCode() < 300) {
                addons.forget(path.substring("/clusters/".length()).replaceAll("\\?.*", ""));
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.equals(":status")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            boolean noBody = method.equals("HEAD") || answer.statusCode() == 204 || answer.statusCode() == 304 || out.length == 0;
            exchange.sendResponseHeaders(answer.statusCode(), noBody ? -1 : out.length);
            if (!noBody) {
                exchange.getResponseBody().write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean nextFault() {
        return faults.nextDouble() < faultRate;
    }

    @Override
    public void close() {
        server.stop(0);
        http.shutdownNow();
    }

    /**
     * EKS add-ons, which moto has no API for: created, described, updated, tagged and deleted in memory, ACTIVE at once
     * unless a test queues the statuses the next descriptions report.
     */
    public static final class EksAddons {
        private final Map<String, ObjectNode> byKey = new ConcurrentHashMap<>();
        private final Map<String, Deque<String>> statuses = new ConcurrentHashMap<>();
        private final AtomicInteger serial = new AtomicInteger();

        /** The statuses the next DescribeAddon calls for {@code addon} report, one each, before its own status again. */
        public void queueStatuses(String addon, String... next) {
            statuses.computeIfAbsent(addon, k -> new ArrayDeque<>()).addAll(List.of(next));
        }

        /** Health issues reported for {@code addon} from now on. */
        public void setIssue(String cluster, String addon, String code, String message) {
            ObjectNode a = byKey.get(cluster + "/" + addon);
            a.putObject("health").putArray("issues").addObject().put("code", code).put("message", message);
        }

        public Map<String, JsonNode> of(String cluster) {
            Map<String, JsonNode> out = new HashMap<>();
            byKey.forEach((k, v) -> {
                if (k.startsWith(cluster + "/")) {
                    out.put(k.substring(cluster.length() + 1), v.deepCopy());
                }
            });
            return out;
        }

        /** Forgets every add-on, as moto's reset forgets everything else. */
        public void clear() {
            byKey.clear();
            statuses.clear();
        }

        void forget(String cluster) {
            byKey.keySet().removeIf(k -> k.startsWith(cluster + "/"));
        }

        private static void send(HttpExchange exchange, int status, JsonNode body, String errorType) throws IOException {
            byte[] out = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (errorType != null) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
            }
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
        }

        private static void notFound(HttpExchange exchange, String what) throws IOException {
            send(exchange, 404, JSON.createObjectNode().put("message", "No addon: " + what), "ResourceNotFoundException");
        }

        private ObjectNode shown(String cluster, String name) {
            ObjectNode a = byKey.get(cluster + "/" + name);
            if (a == null) {
                return null;
            }
            ObjectNode copy = a.deepCopy();
            Deque<String> queued = statuses.get(name);
            String next = queued == null ? null : queued.pollFirst();
            if (next != null) {
                copy.put("status", next);
            }
            return copy;
        }

        synchronized void answer(HttpExchange exchange, String method, String cluster, String name, boolean update, byte[] body)
                throws IOException {
            JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            if (name == null && method.equals("GET")) {
                ObjectNode out = JSON.createObjectNode();
                byKey.keySet().stream().filter(k -> k.startsWith(cluster + "/")).sorted()
                        .forEach(k -> out.withArray("addons").add(k.substring(cluster.length() + 1)));
                out.withArray("addons");
                send(exchange, 200, out, null);
            } else if (name == null && method.equals("POST")) {
                String addon = request.path("addonName").asText();
                if (byKey.containsKey(cluster + "/" + addon)) {
                    send(exchange, 409, JSON.createObjectNode().put("message", "Addon already exists"), "ResourceInUseException");
                    return;
                }
                ObjectNode a = JSON.createObjectNode();
                a.put("addonName", addon).put("clusterName", cluster).put("status", "ACTIVE")
                        .put("addonVersion", request.path("addonVersion").asText("v1.0.0-eksbuild." + serial.incrementAndGet()))
                        .put("addonArn", "arn:aws:eks:eu-west-1:" + MotoServer.ACCOUNT + ":addon/" + cluster + "/" + addon + "/"
                                + java.util.UUID.randomUUID())
                        .put("createdAt", System.currentTimeMillis() / 1000.0).put("modifiedAt", System.currentTimeMillis() / 1000.0);
                if (request.hasNonNull("serviceAccountRoleArn")) {
                    a.put("serviceAccountRoleArn", request.get("serviceAccountRoleArn").asText());
                }
                a.putObject("health").putArray("issues");
                a.set("tags", request.has("tags") ? request.get("tags") : JSON.createObjectNode());
                byKey.put(cluster + "/" + addon, a);
                send(exchange, 200, JSON.createObjectNode().set("addon", a), null);
            } else if (method.equals("GET")) {
                ObjectNode a = shown(cluster, name);
                if (a == null) {
                    notFound(exchange, name);
                } else {
                    send(exchange, 200, JSON.createObjectNode().set("addon", a), null);
                }
            } else if (update) {
                ObjectNode a = byKey.get(cluster + "/" + name);
                if (a == null) {
                    notFound(exchange, name);
                    return;
                }
                if (request.hasNonNull("addonVersion")) {
                    a.put("addonVersion", request.get("addonVersion").asText());
                }
                if (request.hasNonNull("serviceAccountRoleArn")) {
                    a.put("serviceAccountRoleArn", request.get("serviceAccountRoleArn").asText());
                }
                ObjectNode u = JSON.createObjectNode().put("id", java.util.UUID.randomUUID().toString()).put("status", "InProgress")
                        .put("type", "AddonUpdate");
                send(exchange, 200, JSON.createObjectNode().set("update", u), null);
            } else if (method.equals("DELETE")) {
                ObjectNode a = byKey.remove(cluster + "/" + name);
                if (a == null) {
                    notFound(exchange, name);
                } else {
                    send(exchange, 200, JSON.createObjectNode().set("addon", a.put("status", "DELETING")), null);
                }
            } else {
                send(exchange, 400, JSON.createObjectNode().put("message", method + " not supported"), "InvalidRequestException");
            }
        }

        synchronized void tag(HttpExchange exchange, String method, String arn, byte[] body) throws IOException {
            ObjectNode a = byKey.values().stream().filter(v -> v.path("addonArn").asText().equals(arn)).findFirst().orElse(null);
            if (a == null) {
                notFound(exchange, arn);
                return;
            }
            if (method.equals("POST")) {
                JsonNode tags = JSON.readTree(body).path("tags");
                tags.fields().forEachRemaining(e -> ((ObjectNode) a.get("tags")).set(e.getKey(), e.getValue()));
                send(exchange, 200, JSON.createObjectNode(), null);
            } else {
                send(exchange, 200, JSON.createObjectNode().set("tags", a.get("tags")), null);
            }
        }
    }
}
