package io.logexaminer.testing;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.logexaminer.k8s.SparkApplications;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test code that plays the Spark Operator and the kubelet against {@link KubernetesTestCluster}: it registers the
 * SparkApplication CRD and the operator's webhook, moves applications through the operator's states, and creates driver pods
 * with their container states and logs.
 */
public final class SparkOperatorDriver {
    public static final ResourceDefinitionContext APPLICATIONS = SparkApplications.DEFINITION;

    private final KubernetesTestCluster cluster;
    private final KubernetesClient client;

    public SparkOperatorDriver(KubernetesTestCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    /** The operator's CRD as its Helm chart installs it: v1beta2 served and stored, with a status subresource. */
    public void installCrd() {
        if (client.apiextensions().v1().customResourceDefinitions().withName("sparkapplications.sparkoperator.k8s.io").get() != null) {
            return;
        }
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("sparkapplications.sparkoperator.k8s.io").endMetadata()
                .withNewSpec().withGroup("sparkoperator.k8s.io").withScope("Namespaced")
                .withNewNames().withKind("SparkApplication").withPlural("sparkapplications").withSingular("sparkapplication")
                .withShortNames("sparkapp").withListKind("SparkApplicationList").endNames()
                .addNewVersion().withName("v1beta2").withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion().endSpec().build();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    /** The mutating webhook configuration the operator's chart registers. */
    public void installWebhook() {
        if (client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("spark-operator-webhook").get() != null) {
            return;
        }
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
                new io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder()
                        .withNewMetadata().withName("spark-operator-webhook").endMetadata()
                        .addNewWebhook().withName("mutate--v1-pod.sparkoperator.k8s.io")
                        .addNewRule().withApiGroups("").withApiVersions("v1").withResources("pods").withOperations("CREATE").endRule()
                        .endWebhook().build()).create();
    }

    /** Waits for the application to be created, as the operator's informer would see it. */
    public void awaitApplication(String namespace, String name, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).withName(name).get() != null) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("SparkApplication " + namespace + "/" + name + " did not appear within " + timeout);
    }

    /** Waits for an application of the job (its {@code logexaminer.io/job} label) to be created, and returns its name. */
    public String awaitJob(String namespace, String job, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            List<GenericKubernetesResource> items = client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace)
                    .withLabel("logexaminer.io/job", job).list().getItems();
            if (!items.isEmpty()) {
                return items.get(0).getMetadata().getName();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no SparkApplication of job " + job + " appeared in " + namespace + " within " + timeout);
    }

    /** Writes the application's status as the operator does. */
    public void status(String namespace, String name, String state, String errorMessage, int submissionAttempts,
                       int executionAttempts) {
        GenericKubernetesResource app = client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).withName(name).get();
        Map<String, Object> applicationState = new LinkedHashMap<>();
        applicationState.put("state", state);
        if (!errorMessage.isEmpty()) {
            applicationState.put("errorMessage", errorMessage);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("applicationState", applicationState);
        status.put("submissionAttempts", submissionAttempts);
        status.put("executionAttempts", executionAttempts);
        status.put("driverInfo", Map.of("podName", name + "-driver"));
        status.put("sparkApplicationId", "spark-" + name);
        status.put("lastSubmissionAttemptTime", Instant.now().toString());
        app.setAdditionalProperty("status", status);
        client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).resource(app).updateStatus();
    }

    /** How the kubelet reports the driver container. */
    public enum Container { CREATING, RUNNING, SUCCEEDED, FAILED, IMAGE_PULL_BACK_OFF, UNSCHEDULABLE }

    /** A new driver pod (a new uid, as after a retry) in the given container state, replacing any earlier one. */
    public void replaceDriverPod(String namespace, String app, Container container) {
        client.pods().inNamespace(namespace).withName(app + "-driver").delete();
        driverPod(namespace, app, container);
    }

    /** Creates the driver pod, or moves the one there to the given container state. */
    public void driverPod(String namespace, String app, Container container) {
        String podName = app + "-driver";
        Pod existing = client.pods().inNamespace(namespace).withName(podName).get();
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace(namespace).withUid(UUID.randomUUID().toString())
                .addToLabels("sparkoperator.k8s.io/app-name", app).addToLabels("spark-role", "driver").endMetadata()
                .withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("spark").endContainer().endSpec();
        ContainerStatusBuilder status = new ContainerStatusBuilder().withName("spark-kubernetes-driver").withImage("spark");
        String phase = "Pending";
        switch (container) {
            case CREATING -> status.withState(new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating").endWaiting().build());
            case RUNNING -> {
                phase = "Running";
                status.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().build());
            }
            case SUCCEEDED, FAILED -> {
                phase = container == Container.SUCCEEDED ? "Succeeded" : "Failed";
                status.withState(new ContainerStateBuilder().withNewTerminated()
                        .withExitCode(container == Container.SUCCEEDED ? 0 : 1).endTerminated().build());
            }
            case IMAGE_PULL_BACK_OFF -> status.withState(new ContainerStateBuilder().withNewWaiting().withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image \"spark\"").endWaiting().build());
            case UNSCHEDULABLE -> status = null;
        }
        pod.withNewStatus().withPhase(phase).endStatus();
        Pod built = pod.build();
        if (status != null) {
            built.getStatus().setContainerStatuses(List.of(status.build()));
        } else {
            built.getStatus().setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                    .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient cpu.").build()));
        }
        if (existing == null) {
            client.pods().inNamespace(namespace).resource(built).create();
        } else {
            existing.setStatus(built.getStatus());
            client.pods().inNamespace(namespace).resource(existing).updateStatus();
        }
    }

    /** What the kubelet serves as the driver container's log, followed or not. */
    public void driverLog(String namespace, String app, String log) {
        cluster.serveLog(namespace, app + "-driver", log);
    }
}
