package io.logexaminer.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.logexaminer.error.OperationFailedException;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The fabric8 client for one cluster, made either from an EKS endpoint with a token the tool signs itself or from a
 * kubeconfig context, on the JDK HTTP client only. Everything that talks to the cluster goes through it.
 */
public final class ClusterClient implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MS = 10_000;
    /** One retry for a refused connection or a 5xx, not fabric8's ten: an unreachable cluster is said so quickly. */
    static final int RETRY_LIMIT = 1;
    static final int RETRY_INTERVAL_MS = 200;

    /** Where fabric8's kubeconfig reader notes each entry's file (KubeConfigUtils, fabric8 7.4). */
    private static final String CONTEXT_FILE_KEY = "KUBERNETES_CONFIG_CONTEXT_FILE_KEY";
    private static final String CLUSTER_FILE_KEY = "KUBERNETES_CONFIG_CLUSTER_FILE_KEY";
    private static final String USER_FILE_KEY = "KUBERNETES_CONFIG_AUTH_INFO_FILE_KEY";
    private static final ObjectMapper KUBECONFIG_YAML = new YAMLMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(io.fabric8.kubernetes.api.model.NamedExtension.class, PlainExtension.class);

    /** Reads a kubeconfig extension as plain data instead of through fabric8's KubernetesDeserializer. */
    private abstract static class PlainExtension {
        @JsonDeserialize(using = JsonDeserializer.None.class)
        Object extension;

        @JsonDeserialize(using = JsonDeserializer.None.class)
        abstract void setExtension(Object extension);
    }

    private final KubernetesClient client;
    private final String description;
    private final AutoCloseable alsoClosed;

    private ClusterClient(Config config, String description, AutoCloseable alsoClosed) {
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        config.setRequestRetryBackoffLimit(RETRY_LIMIT);
        config.setRequestRetryBackoffInterval(RETRY_INTERVAL_MS);
        this.client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
        this.description = description;
        this.alsoClosed = alsoClosed;
    }

    /**
     * An EKS cluster: its endpoint, its CA (base64 PEM, as DescribeCluster gives it) and a source of bearer tokens,
     * asked before every request so that a long session picks up renewed tokens. {@code alsoClosed} is closed with
     * this client (what the token source needs, such as the AWS clients).
     */
    public static ClusterClient eks(String clusterName, String endpoint, String certificateAuthority, Supplier<String> token,
                                    AutoCloseable alsoClosed) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(endpoint)
                .withCaCertData(certificateAuthority)
                .withOauthTokenProvider(token::get)
                .withNamespace("default")
                .build();
        return new ClusterClient(config, "EKS cluster " + clusterName + " (" + endpoint + ")", alsoClosed);
    }

    /** The cluster of a kubeconfig context: {@code context} or, when empty, the files' current context. */
    public static ClusterClient kubeconfig(KubeconfigFiles files, Optional<String> context) {
        List<io.fabric8.kubernetes.api.model.Config> parsed = new ArrayList<>();
        for (Path path : files.paths()) {
            if (Files.isRegularFile(path)) {
                parsed.add(readKubeconfig(path));
            }
        }
        if (parsed.isEmpty()) {
            throw new OperationFailedException("no kubeconfig at " + files.describe() + "; pass --kubeconfig FILE");
        }
        List<String> contexts = parsed.stream().flatMap(c -> c.getContexts() == null ? java.util.stream.Stream.empty()
                : c.getContexts().stream()).map(io.fabric8.kubernetes.api.model.NamedContext::getName).distinct().toList();
        String chosen = context.orElseGet(() -> parsed.stream().map(io.fabric8.kubernetes.api.model.Config::getCurrentContext)
                .filter(c -> c != null && !c.isBlank()).findFirst()
                .orElseThrow(() -> new OperationFailedException(files.describe() + " sets no current context; pass --context NAME"
                        + (contexts.isEmpty() ? "" : " (one of: " + String.join(", ", contexts) + ")"))));
        if (!contexts.contains(chosen)) {
            throw new OperationFailedException("context " + chosen + " is not in " + files.describe()
                    + (contexts.isEmpty() ? " (it has no contexts)" : " (it has: " + String.join(", ", contexts) + ")"));
        }
        Config config = Config.empty();
        try {
            KubeConfigUtils.merge(config, chosen, parsed.toArray(io.fabric8.kubernetes.api.model.Config[]::new));
        } catch (KubernetesClientException e) {
            throw new OperationFailedException("cannot use context " + chosen + " of " + files.describe() + ": " + firstLine(e));
        }
        if (config.getNamespace() == null || config.getNamespace().isBlank()) {
            config.setNamespace("default");
        }
        return new ClusterClient(config, "context " + chosen + " (" + config.getMasterUrl() + ")", () -> { });
    }

    /**
     * A kubeconfig file as fabric8's model, read with plain Jackson: fabric8's own reader first loads and registers
     * every model class it knows, half of the time to the first request. Each entry remembers its file, which fabric8
     * uses to resolve relative certificate paths.
     */
    private static io.fabric8.kubernetes.api.model.Config readKubeconfig(Path path) {
        io.fabric8.kubernetes.api.model.Config config;
        try {
            config = KUBECONFIG_YAML.readValue(path.toFile(), io.fabric8.kubernetes.api.model.Config.class);
        } catch (IOException e) {
            throw new OperationFailedException(path + " is not a readable kubeconfig: " + firstLine(e));
        }
        if (config == null) {
            config = new io.fabric8.kubernetes.api.model.Config();
        }
        File file = path.toFile();
        Optional.ofNullable(config.getContexts()).ifPresent(l -> l.forEach(c -> c.getAdditionalProperties().put(CONTEXT_FILE_KEY, file)));
        Optional.ofNullable(config.getClusters()).ifPresent(l -> l.forEach(c -> c.getAdditionalProperties().put(CLUSTER_FILE_KEY, file)));
        Optional.ofNullable(config.getUsers()).ifPresent(l -> l.forEach(u -> u.getAdditionalProperties().put(USER_FILE_KEY, file)));
        return config;
    }

    /** The fabric8 client, for code in this package and the adapters' callers that need the model types. */
    public KubernetesClient client() {
        return client;
    }

    /** The API server's URL. */
    public String server() {
        return client.getMasterUrl().toString();
    }

    /** The namespace of the kubeconfig context, or {@code default}. */
    public String defaultNamespace() {
        return client.getNamespace();
    }

    /** Which cluster this is, for messages: {@code EKS cluster NAME (URL)} or {@code context NAME (URL)}. */
    public String description() {
        return description;
    }

    /**
     * One line for a failed call: the cluster unreachable, credentials refused, or what the API server said.
     * {@code doing} says what was attempted, such as {@code "read service clickhouse/clickhouse"}.
     */
    public OperationFailedException failure(String doing, KubernetesClientException e) {
        Throwable unreachable = unreachableCause(e);
        if (unreachable != null) {
            return new OperationFailedException("cannot reach " + description + " to " + doing + ": " + describeUnreachable(unreachable), e);
        }
        if (e.getCode() == 401) {
            return new OperationFailedException(description + " refused the credentials (401 Unauthorized) to " + doing, e);
        }
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : firstLine(e);
        return new OperationFailedException("cannot " + doing + " on " + description + ": " + reason, e);
    }

    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static Throwable unreachableCause(KubernetesClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof HttpConnectTimeoutException || t instanceof SSLException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return t;
            }
            if (t instanceof IOException && t.getCause() == null && e.getCode() == 0) {
                return t;
            }
        }
        return null;
    }

    private static String describeUnreachable(Throwable t) {
        return switch (t) {
            case ConnectException c -> "connection refused";
            case UnknownHostException u -> "unknown host " + u.getMessage();
            case HttpConnectTimeoutException h -> "no answer within " + CONNECT_TIMEOUT_MS / 1000 + "s";
            case SSLException s -> "TLS failed (" + firstLine(s) + ")";
            default -> firstLine(t);
        };
    }

    @Override
    public void close() {
        client.close();
        try {
            alsoClosed.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
