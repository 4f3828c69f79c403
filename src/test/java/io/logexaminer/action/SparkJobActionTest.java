package io.logexaminer.action;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logexaminer.config.JobSpec;
import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.k8s.ClusterClient;
import io.logexaminer.k8s.KubeconfigFiles;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.testing.KubernetesTestCluster;
import io.logexaminer.testing.SparkOperatorDriver;
import io.logexaminer.testing.SparkOperatorDriver.Container;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submitting and following against the test Kubernetes endpoint (fabric8 mock server, CRUD mode), with test code playing the operator. */
class SparkJobActionTest {
    private static final String NS = "spark";
    private static final Platform PLATFORM = PlatformLoader.load(
            TestBinaries.projectDir().resolve("examples/platform.yaml").toString(), new ByteArrayInputStream(new byte[0]),
            Optional.empty()).platform();
    private static final SparkJobAction.FollowOptions WAIT = new SparkJobAction.FollowOptions(Optional.of(Duration.ofSeconds(20)),
            Duration.ofMinutes(5), OptionalInt.empty());

    @RegisterExtension
    static final KubernetesTestCluster cluster = new KubernetesTestCluster();
    @TempDir
    static Path dir;
    private static ClusterClient clusterClient;

    private final KubernetesClient client = cluster.client();
    private final SparkOperatorDriver operator = new SparkOperatorDriver(cluster);
    private final Recorder recorder = new Recorder();

    @BeforeAll
    static void connect() {
        clusterClient = ClusterClient.kubeconfig(KubeconfigFiles.find(Optional.of(cluster.writeKubeconfig(dir)), Map.of()),
                Optional.empty());
    }

    @AfterAll
    static void disconnect() {
        clusterClient.close();
    }

    @BeforeEach
    void installTheOperator() {
        operator.installCrd();
        operator.installWebhook();
    }

    @Test
    void aCompletedJobExitsWithItsStatesAndDriverLog() throws Exception {
        SparkJobAction.FollowResult result = run(0, WAIT, name -> {
            operator.status(NS, name, "SUBMITTED", "", 1, 1);
            operator.driverPod(NS, name, Container.CREATING);
            pause();
            operator.driverLog(NS, name, "Pi is roughly 3.14159\nstopping SparkContext\n");
            operator.driverPod(NS, name, Container.RUNNING);
            operator.status(NS, name, "RUNNING", "", 1, 1);
            pause();
            operator.driverPod(NS, name, Container.SUCCEEDED);
            operator.status(NS, name, "COMPLETED", "", 1, 1);
        });
        assertEquals(SparkJobAction.Outcome.COMPLETED, result.outcome(), recorder::toString);
        assertEquals(List.of("CREATED", "SUBMITTED", "RUNNING", "COMPLETED"), recorder.stateNames());
        assertEquals(List.of("Pi is roughly 3.14159", "stopping SparkContext"), recorder.log);
        assertEquals("COMPLETED", result.status().orElseThrow().state());
        assertTrue(recorder.warnings.isEmpty(), recorder::toString);
    }

    @Test
    void aFailedJobCarriesTheOperatorsErrorMessage() throws Exception {
        SparkJobAction.FollowResult result = run(0, WAIT, name -> {
            operator.status(NS, name, "SUBMITTED", "", 1, 1);
            operator.driverLog(NS, name, "Exception in thread \"main\" java.lang.IllegalStateException: no input\n");
            operator.driverPod(NS, name, Container.RUNNING);
            operator.status(NS, name, "RUNNING", "", 1, 1);
            pause();
            operator.driverPod(NS, name, Container.FAILED);
            operator.status(NS, name, "FAILED", "driver container failed with ExitCode: 1, Reason: Error", 1, 1);
        });
        assertEquals(SparkJobAction.Outcome.FAILED, result.outcome(), recorder::toString);
        assertTrue(result.message().contains("failed: driver container failed with ExitCode: 1, Reason: Error"), result.message());
        assertEquals(List.of("Exception in thread \"main\" java.lang.IllegalStateException: no input"), recorder.log);
    }

    @Test
    void retriesAreReportedWithTheirAttemptsAndEachRunsLog() throws Exception {
        SparkJobAction.FollowResult result = run(2, WAIT, name -> {
            operator.status(NS, name, "SUBMISSION_FAILED", "failed to run spark-submit: exit status 1", 1, 0);
            pause();
            operator.status(NS, name, "SUBMITTED", "", 2, 1);
            operator.driverLog(NS, name, "run\n");
            operator.driverPod(NS, name, Container.RUNNING);
            operator.status(NS, name, "RUNNING", "", 2, 1);
            pause();
            operator.driverPod(NS, name, Container.FAILED);
            operator.status(NS, name, "FAILING", "driver container failed with ExitCode: 137", 2, 1);
            operator.status(NS, name, "PENDING_RERUN", "", 2, 1);
            pause();
            operator.status(NS, name, "SUBMITTED", "", 3, 2);
            operator.replaceDriverPod(NS, name, Container.RUNNING);
            operator.status(NS, name, "RUNNING", "", 3, 2);
            pause();
            operator.driverPod(NS, name, Container.SUCCEEDED);
            operator.status(NS, name, "COMPLETED", "", 3, 2);
        });
        assertEquals(SparkJobAction.Outcome.COMPLETED, result.outcome(), recorder::toString);
        assertEquals(List.of("CREATED", "SUBMISSION_FAILED", "SUBMITTED", "RUNNING", "FAILING", "PENDING_RERUN", "SUBMITTED",
                "RUNNING", "COMPLETED"), recorder.stateNames());
        assertTrue(recorder.states.contains("SUBMISSION_FAILED failed to run spark-submit: exit status 1 (attempt 1 of 3); "
                + "the operator retries the submission"), recorder::toString);
        assertTrue(recorder.states.contains("PENDING_RERUN run 1 failed; the operator starts it again (attempt 2 of 3)"),
                recorder::toString);
        assertTrue(recorder.states.contains("RUNNING spark-" + recorder.name.get() + " (attempt 2 of 3)"), recorder::toString);
        assertEquals(List.of("run", "run"), recorder.log);
        assertTrue(recorder.infos.contains("driver log of " + recorder.name.get() + "-driver (run 2)"), recorder::toString);
    }

    @Test
    void aSubmissionFailureWithNoRetriesLeftIsAFailure() throws Exception {
        SparkJobAction.FollowResult result = run(1, WAIT, name -> {
            operator.status(NS, name, "SUBMISSION_FAILED", "admission webhook denied the request", 1, 0);
            pause();
            operator.status(NS, name, "SUBMISSION_FAILED", "admission webhook denied the request", 2, 0);
        });
        assertEquals(SparkJobAction.Outcome.FAILED, result.outcome(), recorder::toString);
        assertTrue(result.message().endsWith("failed (no submission retries left): admission webhook denied the request"),
                result.message());
    }

    @Test
    void aDriverStuckPullingItsImageFailsFastWithTheReason() throws Exception {
        SparkJobAction.FollowResult result = run(0, WAIT, name -> {
            operator.status(NS, name, "SUBMITTED", "", 1, 1);
            operator.driverPod(NS, name, Container.IMAGE_PULL_BACK_OFF);
        });
        assertEquals(SparkJobAction.Outcome.DRIVER_STUCK, result.outcome(), recorder::toString);
        assertTrue(result.message().contains("-driver is stuck: ImagePullBackOff: Back-off pulling image \"spark\""), result.message());
        assertTrue(operatorsApplicationStillExists(), "a stuck job is left for the user to look at");
    }

    @Test
    void anUnschedulableDriverGetsItsGraceThenCountsAsStuck() throws Exception {
        SparkJobAction.FollowResult result = run(0, new SparkJobAction.FollowOptions(Optional.of(Duration.ofSeconds(20)),
                Duration.ofMillis(500), OptionalInt.empty()), name -> {
            operator.status(NS, name, "SUBMITTED", "", 1, 1);
            operator.driverPod(NS, name, Container.UNSCHEDULABLE);
        });
        assertEquals(SparkJobAction.Outcome.DRIVER_STUCK, result.outcome(), recorder::toString);
        assertTrue(result.message().contains("could not be scheduled for 0s: 0/3 nodes are available: 3 Insufficient cpu."),
                result.message());
        assertTrue(recorder.stateNames().contains("UNSCHEDULABLE"), recorder::toString);
    }

    @Test
    void followingGivesUpAtTheTimeoutAndLeavesTheJobRunning() throws Exception {
        SparkJobAction.FollowResult result = run(0, new SparkJobAction.FollowOptions(Optional.of(Duration.ofSeconds(1)),
                Duration.ofMinutes(5), OptionalInt.empty()), name -> operator.status(NS, name, "RUNNING", "", 1, 1));
        assertEquals(SparkJobAction.Outcome.TIMED_OUT, result.outcome(), recorder::toString);
        assertTrue(result.message().endsWith("did not finish within 1s"), result.message());
        assertTrue(operatorsApplicationStillExists());
    }

    @Test
    void cancellingStopsFollowingAndLeavesTheJobRunning() throws Exception {
        Cancellation cancellation = new Cancellation();
        SparkJobAction.FollowResult result = run(0, WAIT, cancellation, name -> {
            operator.status(NS, name, "RUNNING", "", 1, 1);
            pause();
            cancellation.cancel();
        });
        assertEquals(SparkJobAction.Outcome.CANCELLED, result.outcome(), recorder::toString);
        assertTrue(operatorsApplicationStillExists());
    }

    @Test
    void anApplicationDeletedWhileFollowedEndsTheFollow() throws Exception {
        SparkJobAction.FollowResult result = run(0, WAIT, name -> {
            operator.status(NS, name, "RUNNING", "", 1, 1);
            pause();
            client.genericKubernetesResources(SparkOperatorDriver.APPLICATIONS).inNamespace(NS).withName(name).delete();
        });
        assertEquals(SparkJobAction.Outcome.DELETED, result.outcome(), recorder::toString);
    }

    @Test
    void theDriversSparkUiIsOnALocalPortWhileTheJobRuns() throws Exception {
        HttpServer sparkUi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sparkUi.createContext("/jobs/", exchange -> {
            byte[] page = "<title>Spark Jobs</title>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        sparkUi.start();
        AtomicReference<String> page = new AtomicReference<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            SparkJobAction.FollowResult result = run(0, new SparkJobAction.FollowOptions(Optional.of(Duration.ofSeconds(20)),
                    Duration.ofMinutes(5), OptionalInt.of(0)), name -> {
                cluster.route(NS, name + "-driver", 4040, sparkUi.getAddress());
                operator.status(NS, name, "SUBMITTED", "", 1, 1);
                operator.driverPod(NS, name, Container.RUNNING);
                operator.status(NS, name, "RUNNING", "", 1, 1);
                String url = recorder.await("Spark UI: ").replaceAll("Spark UI: (\\S+) .*", "$1");
                page.set(http.send(HttpRequest.newBuilder(URI.create(url + "/jobs/")).build(), HttpResponse.BodyHandlers.ofString()).body());
                operator.driverPod(NS, name, Container.SUCCEEDED);
                operator.status(NS, name, "COMPLETED", "", 1, 1);
            });
            assertEquals(SparkJobAction.Outcome.COMPLETED, result.outcome(), recorder::toString);
            assertEquals("<title>Spark Jobs</title>", page.get());
            String url = recorder.await("Spark UI: ").replaceAll("Spark UI: (\\S+) .*", "$1");
            assertThrows(java.io.IOException.class, () -> http.send(HttpRequest.newBuilder(URI.create(url + "/jobs/")).build(),
                    HttpResponse.BodyHandlers.ofString()), "the forward closes when following ends");
        } finally {
            sparkUi.stop(0);
        }
    }

    @Test
    void statusLogAndDeleteWorkOnAnExistingApplication() throws Exception {
        SparkJobAction action = new SparkJobAction(clusterClient);
        SparkJobAction.Prepared prepared = prepared(0);
        action.submit(prepared, PLATFORM, recorder);
        operator.status(NS, prepared.name(), "RUNNING", "", 1, 1);
        operator.driverPod(NS, prepared.name(), Container.RUNNING);
        operator.driverLog(NS, prepared.name(), "hello\n");

        SparkJobAction.JobStatus status = action.status(NS, prepared.name());
        assertEquals("RUNNING", status.state());
        assertEquals(prepared.name() + "-driver", status.driverPod());
        assertEquals("hello\n", action.log(NS, prepared.name()));
        action.delete(NS, prepared.name());
        assertThrows(OperationFailedException.class, () -> action.status(NS, prepared.name()));
        OperationFailedException again = assertThrows(OperationFailedException.class, () -> action.delete(NS, prepared.name()));
        assertEquals("no SparkApplication spark/" + prepared.name(), again.getMessage());
    }

    @Test
    void submittingWithoutTheOperatorsCrdFails() {
        client.apiextensions().v1().customResourceDefinitions().withName("sparkapplications.sparkoperator.k8s.io").delete();
        SparkJobAction.Prepared prepared = prepared(0);
        OperationFailedException e = assertThrows(OperationFailedException.class,
                () -> new SparkJobAction(clusterClient).submit(prepared, PLATFORM, recorder));
        assertTrue(e.getMessage().startsWith("the SparkApplication CRD (sparkapplications.sparkoperator.k8s.io) is not installed"),
                e.getMessage());
        operator.installCrd();
        assertNull(client.genericKubernetesResources(SparkOperatorDriver.APPLICATIONS).inNamespace(NS).withName(prepared.name()).get());
    }

    @Test
    void submittingWithoutTheOperatorsWebhookWarns() {
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("spark-operator-webhook").delete();
        SparkJobAction.Prepared prepared = prepared(0);
        new SparkJobAction(clusterClient).submit(prepared, PLATFORM, recorder);
        assertEquals(List.of("the Spark Operator's mutating webhook is not installed: the driver's and executors' node "
                + "selectors and tolerations will be silently dropped"), recorder.warnings);
        assertNotNull(client.genericKubernetesResources(SparkOperatorDriver.APPLICATIONS).inNamespace(NS).withName(prepared.name()).get());
    }

    private boolean operatorsApplicationStillExists() {
        return client.genericKubernetesResources(SparkOperatorDriver.APPLICATIONS).inNamespace(NS).withName(recorder.name.get()).get() != null;
    }

    interface Scenario {
        void play(String name) throws Exception;
    }

    private SparkJobAction.FollowResult run(int retries, SparkJobAction.FollowOptions options, Scenario scenario) throws Exception {
        return run(retries, options, new Cancellation(), scenario);
    }

    /** Submits a job, plays the operator on another thread, and follows the job to its end. */
    private SparkJobAction.FollowResult run(int retries, SparkJobAction.FollowOptions options, Cancellation cancellation,
                                            Scenario scenario) throws Exception {
        SparkJobAction action = new SparkJobAction(clusterClient);
        SparkJobAction.Prepared prepared = prepared(retries);
        recorder.name.set(prepared.name());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread operatorThread = Thread.ofVirtual().start(() -> {
            try {
                operator.awaitApplication(NS, prepared.name(), Duration.ofSeconds(10));
                scenario.play(prepared.name());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        action.submit(prepared, PLATFORM, recorder);
        SparkJobAction.FollowResult result = action.follow(NS, prepared.name(), options, recorder, cancellation);
        operatorThread.join(Duration.ofSeconds(10));
        if (failure.get() != null) {
            throw new AssertionError("the operator's part failed", failure.get());
        }
        return result;
    }

    private static SparkJobAction.Prepared prepared(int retries) {
        JobSpec spec = new JobSpec("pi", JobSpec.Type.SCALA, "local:///opt/spark/examples/jars/spark-examples.jar",
                "org.apache.spark.examples.SparkPi", List.of("100"), null, null, null, null, null, null, Map.of(),
                JobSpec.Deps.NONE, null, retries);
        JobSpec.Job job = spec.resolve(PLATFORM.spark());
        String name = SparkApplicationManifest.uniqueName("pi", new Random());
        return new SparkJobAction.Prepared(NS, name, SparkApplicationManifest.build(job, PLATFORM, "123456789012", name));
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(150);
    }

    /** Everything following reported, in order. */
    private static final class Recorder implements SparkJobAction.Listener {
        final AtomicReference<String> name = new AtomicReference<>();
        final List<String> states = Collections.synchronizedList(new ArrayList<>());
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        final List<String> infos = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void state(Instant at, String state, String detail) {
            states.add(state + " " + detail);
        }

        @Override
        public void driverLog(String line) {
            log.add(line);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }

        @Override
        public void info(String message) {
            infos.add(message);
        }

        /** The first info line starting with {@code prefix}, waiting up to 10 s for it. */
        String await(String prefix) throws InterruptedException {
            for (int i = 0; i < 500; i++) {
                synchronized (infos) {
                    for (String info : infos) {
                        if (info.startsWith(prefix)) {
                            return info;
                        }
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no info line starting with " + prefix + " in " + infos);
        }

        List<String> stateNames() {
            return states.stream().map(s -> s.substring(0, s.indexOf(' '))).toList();
        }

        @Override
        public String toString() {
            return "states " + states + "\nlog " + log + "\nwarnings " + warnings + "\ninfos " + infos;
        }
    }
}
