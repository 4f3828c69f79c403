package io.logexaminer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.KubernetesTestCluster;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.SparkOperatorDriver;
import io.logexaminer.testing.SparkOperatorDriver.Container;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * submit-job end to end through the CLI: the account from moto's STS, the cluster from the test Kubernetes endpoint
 * (via --kubeconfig), test code playing the Spark Operator. One test per outcome and its exit code.
 */
class SubmitJobClusterTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();
    @RegisterExtension
    static final KubernetesTestCluster cluster = new KubernetesTestCluster();
    @TempDir
    static Path dir;
    private static Path kubeconfig;

    private static final String NS = "spark";
    private static final String PLATFORM = TestBinaries.projectDir().resolve("examples/platform.yaml").toString();
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private final SparkOperatorDriver operator = new SparkOperatorDriver(cluster);

    @BeforeAll
    static void installTheOperator() {
        kubeconfig = cluster.writeKubeconfig(dir);
        SparkOperatorDriver operator = new SparkOperatorDriver(cluster);
        operator.installCrd();
        operator.installWebhook();
    }

    interface Scenario {
        void play(String name) throws Exception;
    }

    /** What the run printed and the application it created. */
    record Run(CliRun cli, String name) {
    }

    private Run submit(String job, Cancellation cancellation, Scenario scenario, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("submit-job", "-f", PLATFORM, "--kubeconfig", kubeconfig.toString(),
                "--name", job, "--main-file", "local:///opt/spark/examples/jars/spark-examples.jar",
                "--main-class", "org.apache.spark.examples.SparkPi"));
        args.addAll(List.of(extra));
        if (!args.contains("--timeout")) {
            args.addAll(List.of("--timeout", "30s"));
        }
        AtomicReference<String> name = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread operatorThread = Thread.ofVirtual().start(() -> {
            try {
                name.set(operator.awaitJob(NS, job, Duration.ofSeconds(20)));
                scenario.play(name.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        CliRun cli = CliRun.run(moto.environment(), new ByteArrayInputStream(new byte[0]), cancellation, args.toArray(String[]::new));
        operatorThread.join(Duration.ofSeconds(20));
        if (failure.get() != null) {
            throw new AssertionError("the operator's part failed; the CLI " + cli, failure.get());
        }
        return new Run(cli, name.get());
    }

    private Run submit(String job, Scenario scenario, String... extra) throws Exception {
        return submit(job, new Cancellation(), scenario, extra);
    }

    private void runs(String name, String log) throws InterruptedException {
        operator.status(NS, name, "SUBMITTED", "", 1, 1);
        operator.driverLog(NS, name, log);
        operator.driverPod(NS, name, Container.RUNNING);
        operator.status(NS, name, "RUNNING", "", 1, 1);
        Thread.sleep(150);
    }

    private GenericKubernetesResource application(String name) {
        return cluster.client().genericKubernetesResources(SparkOperatorDriver.APPLICATIONS).inNamespace(NS).withName(name).get();
    }

    private static String hints(String name) {
        return "Follow it: logexaminer submit-job --follow " + name + " -f " + PLATFORM + "; delete it: logexaminer submit-job --delete "
                + name + " -f " + PLATFORM;
    }

    @Test
    void completedExitsZeroWithTheDriverLogOnStdoutAndTimedStatesOnStderr() throws Exception {
        Run run = submit("exit-completed", name -> {
            runs(name, "Pi is roughly 3.14159\n");
            operator.driverPod(NS, name, Container.SUCCEEDED);
            operator.status(NS, name, "COMPLETED", "", 1, 1);
        });
        CliRun r = run.cli();
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("Pi is roughly 3.14159\n", r.out());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).matches(TIMESTAMP + " CREATED  spark/" + run.name()), r.err());
        assertTrue(lines.get(1).matches(TIMESTAMP + " SUBMITTED  driver pod " + run.name() + "-driver"), r.err());
        assertTrue(lines.get(2).matches(TIMESTAMP + " RUNNING  spark-" + run.name()), r.err());
        assertTrue(lines.get(3).matches(TIMESTAMP + " COMPLETED"), r.err());
        assertEquals("spark/" + run.name() + " completed", lines.get(4));
        assertEquals(5, lines.size(), r.err());

        GenericKubernetesResource app = application(run.name());
        JsonNode spec = new ObjectMapper().valueToTree(app.getAdditionalProperties().get("spec"));
        assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com/data-platform/spark:3.5.1", spec.path("image").asText());
        assertEquals("spark-apps", spec.at("/driver/serviceAccount").asText());
        assertEquals("exit-completed", app.getMetadata().getLabels().get("logexaminer.io/job"));
        assertEquals("logexaminer", app.getMetadata().getLabels().get("logexaminer.io/platform"));
    }

    @Test
    void failedExitsThreeWithTheOperatorsErrorMessage() throws Exception {
        Run run = submit("exit-failed", name -> {
            runs(name, "Exception in thread \"main\" java.io.FileNotFoundException: s3a://raw/missing\n");
            operator.driverPod(NS, name, Container.FAILED);
            operator.status(NS, name, "FAILED", "driver container failed with ExitCode: 1, Reason: Error", 1, 1);
        });
        CliRun r = run.cli();
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().endsWith("error: spark/" + run.name() + " failed: driver container failed with ExitCode: 1, Reason: Error\n"),
                r.err());
        assertTrue(r.out().contains("FileNotFoundException"), r.out());
    }

    @Test
    void aSubmissionFailureWithoutRetriesExitsThree() throws Exception {
        Run run = submit("exit-submission", name -> operator.status(NS, name, "SUBMISSION_FAILED",
                "failed to run spark-submit: pods \"x\" is forbidden: error looking up service account spark/spark-apps", 1, 0));
        CliRun r = run.cli();
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().contains("failed (no submission retries left): failed to run spark-submit: pods \"x\" is forbidden"), r.err());
    }

    @Test
    void aStuckDriverExitsThreeAtOnceAndSaysHowToDeleteTheJob() throws Exception {
        Run run = submit("exit-stuck", name -> {
            operator.status(NS, name, "SUBMITTED", "", 1, 1);
            operator.driverPod(NS, name, Container.IMAGE_PULL_BACK_OFF);
        });
        CliRun r = run.cli();
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.err().contains("error: driver pod " + run.name() + "-driver is stuck: ImagePullBackOff: Back-off pulling image"
                + " \"spark\"; delete it: logexaminer submit-job --delete " + run.name()), r.err());
    }

    @Test
    void aTimeoutExitsOneAndLeavesTheJobRunning() throws Exception {
        Run run = submit("exit-timeout", name -> runs(name, "working\n"), "--timeout", "1s");
        CliRun r = run.cli();
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().endsWith("error: spark/" + run.name() + " did not finish within 1s; it keeps running. " + hints(run.name()) + "\n"),
                r.err());
        assertNotNull(application(run.name()));
    }

    @Test
    void ctrlCExits130AndLeavesTheJobRunning() throws Exception {
        Cancellation cancellation = new Cancellation();
        Run run = submit("exit-interrupted", cancellation, name -> {
            runs(name, "working\n");
            cancellation.cancel();
        });
        CliRun r = run.cli();
        assertEquals(130, r.exitCode(), r::toString);
        assertTrue(r.err().endsWith("interrupted: stopped following spark/" + run.name() + "; it keeps running. " + hints(run.name()) + "\n"),
                r.err());
        assertNotNull(application(run.name()));
    }

    @Test
    void detachPrintsTheNameAndTheCompanionOptionsWorkOnIt() throws Exception {
        Run run = submit("detached", name -> { }, "--detach");
        CliRun r = run.cli();
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(run.name() + "\n", r.out());
        assertTrue(r.err().contains(hints(run.name())), r.err());
        runs(run.name(), "line 1\nline 2\n");

        String[] common = {"-f", PLATFORM, "--kubeconfig", kubeconfig.toString()};
        CliRun status = CliRun.run(Map.of(), "", concat(new String[]{"submit-job", "--status", run.name()}, common));
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().contains("state:        RUNNING\n"), status.out());
        assertTrue(status.out().contains("driver pod:   " + run.name() + "-driver\n"), status.out());

        CliRun json = CliRun.run(Map.of(), "", concat(new String[]{"submit-job", "--status", run.name(), "-o", "json"}, common));
        JsonNode document = new ObjectMapper().readTree(json.out());
        assertEquals("RUNNING", document.path("state").asText());
        assertEquals(1, document.path("executionAttempts").asInt());

        CliRun logs = CliRun.run(Map.of(), "", concat(new String[]{"submit-job", "--logs", run.name()}, common));
        assertEquals(0, logs.exitCode(), logs::toString);
        assertEquals("line 1\nline 2\n", logs.out());

        operator.driverPod(NS, run.name(), Container.SUCCEEDED);
        operator.status(NS, run.name(), "COMPLETED", "", 1, 1);
        CliRun follow = CliRun.run(Map.of(), "", concat(new String[]{"submit-job", "--follow", run.name(), "-o", "json"}, common));
        assertEquals(0, follow.exitCode(), follow::toString);
        assertEquals("COMPLETED", new ObjectMapper().readTree(follow.out()).path("outcome").asText(), "stdout is one JSON document");
        assertTrue(follow.err().contains("line 1\nline 2\n"), "with -o json the driver log goes to stderr: " + follow.err());

        CliRun delete = CliRun.run(Map.of(), "", concat(new String[]{"submit-job", "--delete", run.name()}, common));
        assertEquals(0, delete.exitCode(), delete::toString);
        assertNull(application(run.name()));
        CliRun again = CliRun.run(Map.of(), "", concat(new String[]{"submit-job", "--delete", run.name()}, common));
        assertEquals(1, again.exitCode());
        assertEquals("error: no SparkApplication spark/" + run.name() + "\n", again.err());
        assertFalse(again.err().contains("\tat "));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
