package io.logexaminer.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.logexaminer.error.OperationFailedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * SparkApplications of the Spark Operator ({@code sparkoperator.k8s.io/v1beta2}) and their driver pods, on a cluster
 * client the caller owns. Every API failure becomes one {@link OperationFailedException} line.
 */
public final class SparkApplications {
    public static final String GROUP = "sparkoperator.k8s.io";
    public static final String VERSION = "v1beta2";
    public static final String CRD_NAME = "sparkapplications." + GROUP;
    /** Labels the operator puts on the pods of an application. */
    static final String APP_NAME_LABEL = GROUP + "/app-name";
    static final String SPARK_ROLE_LABEL = "spark-role";

    /** The SparkApplication resource, for generic clients. */
    public static final ResourceDefinitionContext DEFINITION = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withKind("SparkApplication").withPlural("sparkapplications")
            .withNamespaced(true).build();

    /** Whether the operator's mutating webhook is registered, or why that could not be told. */
    public record Webhook(boolean present, Optional<String> unknownBecause) {
    }

    private final ClusterClient cluster;
    private final KubernetesClient client;

    public SparkApplications(ClusterClient cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    /**
     * Fails unless the SparkApplication CRD serves {@code v1beta2}. Returns quietly when the caller may not read
     * CRDs (they are cluster-wide): creating the application then tells.
     */
    public void requireCrd() {
        CustomResourceDefinition crd;
        try {
            crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return;
            }
            throw cluster.failure("read the SparkApplication CRD", e);
        }
        if (crd == null) {
            throw new OperationFailedException(noCrd());
        }
        boolean served = crd.getSpec().getVersions().stream().anyMatch(v -> VERSION.equals(v.getName()) && Boolean.TRUE.equals(v.getServed()));
        if (!served) {
            throw new OperationFailedException("the SparkApplication CRD does not serve " + GROUP + "/" + VERSION
                    + ": the Spark Operator installed is not one this tool supports");
        }
    }

    /** Looks for the operator's mutating webhook among the cluster's webhook configurations. */
    public Webhook operatorWebhook() {
        List<MutatingWebhookConfiguration> configurations;
        try {
            configurations = client.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems();
        } catch (KubernetesClientException e) {
            return new Webhook(false, Optional.of(cluster.failure("list mutating webhook configurations", e).getMessage()));
        }
        boolean present = configurations.stream()
                .flatMap(c -> Optional.ofNullable(c.getWebhooks()).orElse(List.of()).stream())
                .anyMatch(SparkApplications::belongsToOperator);
        return new Webhook(present, Optional.empty());
    }

    private static boolean belongsToOperator(MutatingWebhook webhook) {
        if (webhook.getName() != null && webhook.getName().endsWith(GROUP)) {
            return true;
        }
        return Optional.ofNullable(webhook.getRules()).orElse(List.of()).stream()
                .anyMatch(r -> r.getApiGroups() != null && r.getApiGroups().contains(GROUP));
    }

    public SparkApp create(JsonNode manifest) {
        GenericKubernetesResource resource = client.getKubernetesSerialization().convertValue(manifest, GenericKubernetesResource.class);
        try {
            return view(applications().inNamespace(resource.getMetadata().getNamespace()).resource(resource).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new OperationFailedException(noCrd());
            }
            throw cluster.failure("create SparkApplication " + resource.getMetadata().getName(), e);
        }
    }

    public Optional<SparkApp> get(String namespace, String name) {
        try {
            return Optional.ofNullable(applications().inNamespace(namespace).withName(name).get()).map(this::view);
        } catch (KubernetesClientException e) {
            throw cluster.failure("read SparkApplication " + namespace + "/" + name, e);
        }
    }

    /** Deletes the application (the operator removes its pods); false when there was none. */
    public boolean delete(String namespace, String name) {
        try {
            return !applications().inNamespace(namespace).withName(name).delete().isEmpty();
        } catch (KubernetesClientException e) {
            throw cluster.failure("delete SparkApplication " + namespace + "/" + name, e);
        }
    }

    /**
     * Calls {@code onChange} with every new version of the application, and with empty when it is deleted. A watch
     * that ends early is not restarted: callers also read the application now and then.
     */
    public AutoCloseable watch(String namespace, String name, Consumer<Optional<SparkApp>> onChange) {
        Watch watch = applications().inNamespace(namespace).withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                onChange.accept(action == Action.DELETED ? Optional.empty() : Optional.of(view(resource)));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        return watch::close;
    }

    /** Calls {@code onChange} whenever a driver pod of the application changes. */
    public AutoCloseable watchDriverPods(String namespace, String appName, Runnable onChange) {
        Watch watch = client.pods().inNamespace(namespace).withLabel(APP_NAME_LABEL, appName).withLabel(SPARK_ROLE_LABEL, "driver")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        onChange.run();
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
        return watch::close;
    }

    public Optional<DriverPod> driverPod(String namespace, String podName) {
        try {
            return Optional.ofNullable(client.pods().inNamespace(namespace).withName(podName).get()).map(DriverPod::of);
        } catch (KubernetesClientException e) {
            throw cluster.failure("read pod " + namespace + "/" + podName, e);
        }
    }

    /** The driver's log so far. */
    public String log(String namespace, String podName) {
        try {
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            if (pod == null) {
                throw new OperationFailedException("driver pod " + namespace + "/" + podName
                        + " does not exist (not started yet, or removed with its application)");
            }
            return client.pods().inNamespace(namespace).withName(podName).inContainer(DriverPod.logContainer(pod)).getLog();
        } catch (KubernetesClientException e) {
            throw cluster.failure("read the log of " + namespace + "/" + podName, e);
        }
    }

    /** Streams the driver's log, line by line, until the container ends or the stream is closed. */
    public LogStream followLog(String namespace, String podName, Consumer<String> lines) {
        try {
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            String container = pod == null ? DriverPod.DRIVER_CONTAINER : DriverPod.logContainer(pod);
            LogWatch watch = client.pods().inNamespace(namespace).withName(podName).inContainer(container).watchLog();
            return new LogStream(watch, lines);
        } catch (KubernetesClientException e) {
            throw cluster.failure("follow the log of " + namespace + "/" + podName, e);
        }
    }

    /** A log being copied, line by line, on a virtual thread. */
    public static final class LogStream implements AutoCloseable {
        private final LogWatch watch;
        private final CountDownLatch ended = new CountDownLatch(1);

        LogStream(LogWatch watch, Consumer<String> lines) {
            this.watch = watch;
            Thread.ofVirtual().name("driver-log").start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.accept(line);
                    }
                } catch (IOException e) {
                    // the stream was closed: the follow is over
                } finally {
                    ended.countDown();
                }
            });
        }

        /** Waits up to {@code timeout} for the log to end by itself; true when it did. */
        public boolean awaitEnd(Duration timeout) throws InterruptedException {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    private MixedOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>> applications() {
        return client.genericKubernetesResources(DEFINITION);
    }

    private SparkApp view(GenericKubernetesResource resource) {
        return SparkApp.of(client.getKubernetesSerialization().convertValue(resource, JsonNode.class));
    }

    private static String noCrd() {
        return "the SparkApplication CRD (" + CRD_NAME + ") is not installed: the Spark Operator is missing from the cluster";
    }
}
