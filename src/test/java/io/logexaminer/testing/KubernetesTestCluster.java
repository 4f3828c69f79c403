package io.logexaminer.testing;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API endpoint for a test class: the fabric8 mock server in CRUD mode (pods, services, EndpointSlices,
 * watches), with EndpointSlices kept up to date as a real cluster's controller would, and the pod
 * {@code portforward} subresource speaking {@code v4.channel.k8s.io} bridged to real TCP servers the test starts
 * ({@link #route}), and pod logs the test sets ({@link #serveLog}). {@link #writeKubeconfig} points the CLI at it:
 * <pre>
 * {@code @RegisterExtension static final KubernetesTestCluster cluster = new KubernetesTestCluster();}
 * cluster.runPod("clickhouse", "clickhouse-0", Map.of("app", "clickhouse"), Map.of("http", 8123));
 * cluster.route("clickhouse", "clickhouse-0", 8123, backend.address());
 * </pre>
 */
public final class KubernetesTestCluster implements BeforeAllCallback, AfterAllCallback {
    /** The context name in kubeconfig files written by {@link #writeKubeconfig}. */
    public static final String CONTEXT = "logexaminer-test";

    private static final Pattern PORT_FORWARD = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/portforward(?:\\?(.*))?$");
    private static final Pattern LOG = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?.*)?$");
    private static final Pattern WATCHED_WRITE = Pattern.compile("^/api/v1/namespaces/([^/]+)/(?:pods|services)(?:[/?].*)?$");

    private final boolean https;
    private final Map<String, InetSocketAddress> routes = new ConcurrentHashMap<>();
    private final Map<String, String> logs = new ConcurrentHashMap<>();
    private final KubernetesSerialization json = new KubernetesSerialization();
    private KubernetesMockServer server;
    private MockWebServer web;
    private NamespacedKubernetesClient client;

    /** Plain HTTP. */
    public KubernetesTestCluster() {
        this(false);
    }

    /** With {@code https}, TLS on a self-signed certificate for {@code localhost}; {@link #certificateAuthority()} is its CA. */
    public KubernetesTestCluster(boolean https) {
        this.https = https;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts the server (done by the extension; for use outside JUnit's lifecycle, such as benchmarks). */
    public void start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMixedDispatcher store = new KubernetesMixedDispatcher(responses);
        web = new MockWebServer();
        server = new KubernetesMockServer(new Context(io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()), web, responses,
                new ClusterDispatcher(store, new EndpointSliceController(store)), https);
        server.init(java.net.InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    public void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    /** A client for setting up resources; it sees what the code under test sees. */
    public NamespacedKubernetesClient client() {
        return client;
    }

    /** The API server URL. */
    public String url() {
        return (https ? "https://" + web.getHostName() : "http://127.0.0.1") + ":" + server.getPort();
    }

    /** With https: the base64 PEM of the server's certificate, as EKS DescribeCluster gives a CA. */
    public String certificateAuthority() {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(server.getSelfSignedCertificate().certificatePath())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The oldest request received and not yet taken, or null: for checks on headers. */
    public RecordedRequest takeRequest() throws InterruptedException {
        return server.takeRequest(0, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Every request received and not yet taken, oldest first: for counting what a command asked the API server. */
    public List<RecordedRequest> takeRequests() throws InterruptedException {
        List<RecordedRequest> taken = new ArrayList<>();
        for (RecordedRequest r = takeRequest(); r != null; r = takeRequest()) {
            taken.add(r);
        }
        return taken;
    }

    /**
     * Writes a kubeconfig in {@code dir} whose context {@link #CONTEXT} (the current one) reaches this server, and
     * returns its path: pass it as {@code --kubeconfig}.
     */
    public Path writeKubeconfig(Path dir) {
        String ca = https ? "    certificate-authority-data: " + certificateAuthority() + "\n" : "";
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                %scontexts:
                - name: %s
                  context:
                    cluster: test
                    user: test
                    namespace: default
                users:
                - name: test
                  user:
                    token: test-token
                current-context: %s
                """.formatted(url(), ca, CONTEXT, CONTEXT);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Port-forwards to {@code port} of the pod reach {@code backend}. */
    public void route(String namespace, String pod, int port, InetSocketAddress backend) {
        routes.put(namespace + "/" + pod + ":" + port, backend);
    }

    /** What the pod's log reads, followed or not (the mock server has no logs of its own). */
    public void serveLog(String namespace, String pod, String text) {
        logs.put(namespace + "/" + pod, text);
    }

    /**
     * Creates a running pod with the given labels and named container ports, Ready unless {@code ready} is false.
     */
    public Pod runPod(String namespace, String name, Map<String, String> labels, Map<String, Integer> ports, boolean ready) {
        List<io.fabric8.kubernetes.api.model.ContainerPort> containerPorts = new ArrayList<>();
        ports.forEach((portName, number) -> containerPorts.add(new ContainerPortBuilder().withName(portName)
                .withContainerPort(number).withProtocol("TCP").build()));
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                .withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("test").withPorts(containerPorts).endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0." + (1 + Math.floorMod(name.hashCode(), 250)))
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus()
                .build();
        return client.pods().inNamespace(namespace).resource(pod).create();
    }

    public Pod runPod(String namespace, String name, Map<String, String> labels, Map<String, Integer> ports) {
        return runPod(namespace, name, labels, ports, true);
    }

    /** Marks a pod Ready or not, as the kubelet does when its readiness probe passes or fails. */
    public void setReady(String namespace, String name, boolean ready) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .forEach(c -> c.setStatus(ready ? "True" : "False"));
        client.pods().inNamespace(namespace).resource(pod).updateStatus();
    }

    /**
     * Creates a ClusterIP service; each port is {@code PORT} or {@code PORT:TARGET} where TARGET is a number or a
     * container port name; the service port's name is {@code NAME=} before it when given ({@code http=8123:http}).
     */
    public Service createService(String namespace, String name, Map<String, String> selector, String... ports) {
        ServiceBuilder service = new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(selector.isEmpty() ? null : selector).endSpec();
        for (String spec : ports) {
            String portName = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : null;
            String rest = spec.substring(spec.indexOf('=') + 1);
            String[] parts = rest.split(":");
            int port = Integer.parseInt(parts[0]);
            IntOrString target = parts.length == 1 ? new IntOrString(port)
                    : parts[1].chars().allMatch(Character::isDigit) ? new IntOrString(Integer.parseInt(parts[1])) : new IntOrString(parts[1]);
            service.editSpec().addToPorts(new ServicePortBuilder().withName(portName).withPort(port).withTargetPort(target)
                    .withProtocol("TCP").build()).endSpec();
        }
        return client.services().inNamespace(namespace).resource(service.build()).create();
    }

    /** Requests go to the CRUD store; pod port-forwards are bridged; writes to pods and services update the EndpointSlices. */
    private final class ClusterDispatcher extends Dispatcher {
        private final Dispatcher store;
        private final EndpointSliceController slices;

        ClusterDispatcher(Dispatcher store, EndpointSliceController slices) {
            this.store = store;
            this.slices = slices;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Matcher forward = PORT_FORWARD.matcher(request.getPath());
            if (forward.matches()) {
                return portForward(forward.group(1), forward.group(2), forward.group(3));
            }
            Matcher log = LOG.matcher(request.getPath());
            if (log.matches() && logs.containsKey(log.group(1) + "/" + log.group(2))) {
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
                        .setBody(logs.get(log.group(1) + "/" + log.group(2)));
            }
            MockResponse response = store.dispatch(request);
            Matcher write = WATCHED_WRITE.matcher(request.getPath());
            if (!"GET".equals(request.getMethod()) && write.matches() && response.code() < 400) {
                slices.sync(write.group(1));
            }
            return response;
        }

        private MockResponse portForward(String namespace, String pod, String query) {
            MockResponse found = store.dispatch(new RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.GET,
                    "/api/v1/namespaces/" + namespace + "/pods/" + pod, io.fabric8.mockwebserver.http.Headers.builder().build(),
                    new io.fabric8.mockwebserver.http.Buffer()));
            if (found.code() == 404) {
                return status(404, "NotFound", "pods \"" + pod + "\" not found");
            }
            Pod p = json.unmarshal(new String(found.getBody().getBytes(), StandardCharsets.UTF_8), Pod.class);
            if (p.getStatus() == null || !"Running".equals(p.getStatus().getPhase())) {
                return status(400, "BadRequest", "pod " + pod + " is not running");
            }
            List<Integer> ports = new ArrayList<>();
            for (String param : query == null ? new String[0] : query.split("&")) {
                if (param.startsWith("ports=")) {
                    for (String port : URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8).split(",")) {
                        ports.add(Integer.parseInt(port.trim()));
                    }
                }
            }
            if (ports.isEmpty()) {
                return status(400, "BadRequest", "at least one port must be specified");
            }
            return new MockResponse().withWebSocketUpgrade(new PortForwardBridge(pod, ports,
                    port -> routes.get(namespace + "/" + pod + ":" + port)));
        }

        private MockResponse status(int code, String reason, String message) {
            String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message.replace("\"", "\\\"")
                    + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
        }
    }
}
