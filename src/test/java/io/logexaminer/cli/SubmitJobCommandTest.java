package io.logexaminer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** submit-job's job handling and --dry-run, end to end through the CLI; the account comes from moto's STS. */
class SubmitJobCommandTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();
    private static final String PLATFORM = TestBinaries.projectDir().resolve("examples/platform.yaml").toString();
    private static final String EXAMPLE_JOB = TestBinaries.projectDir().resolve("examples/spark-job.yaml").toString();

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "submit-job";
        all[1] = "-f";
        all[2] = PLATFORM;
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.run(moto.environment(), "", all);
    }

    private static JsonNode yaml(String text) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    private Path job(String yaml) throws IOException {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void dryRunPrintsTheSparkApplicationAndNeedsNoCluster() throws IOException {
        CliRun r = run(EXAMPLE_JOB, "--dry-run");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode app = yaml(r.out());
        assertTrue(app.at("/metadata/name").asText().matches("daily-events-[a-z0-9]{5}"), r.out());
        assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com/data-platform/spark:3.5.1", app.at("/spec/image").asText());
        assertEquals("io.logexaminer.jobs.DailyEvents", app.at("/spec/mainClass").asText());
        assertEquals("2025-06-01", app.at("/spec/arguments/1").asText());
        assertEquals("200", app.at("/spec/sparkConf/spark.sql.shuffle.partitions").asText());
        assertTrue(app.at("/spec/sparkConf/spark.sql.shuffle.partitions").isTextual(), "sparkConf values are strings");
        assertEquals("spark-apps", app.at("/spec/driver/serviceAccount").asText());
        assertEquals("executors", app.at("/spec/executor/tolerations/0/value").asText());
        assertEquals("", r.err(), "nothing to warn about");
    }

    @Test
    void dryRunAsJsonIsTheSameDocument() throws IOException {
        CliRun r = run(EXAMPLE_JOB, "--dry-run", "-o", "json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode app = new ObjectMapper().readTree(r.out());
        assertEquals("SparkApplication", app.path("kind").asText());
        assertEquals(12, app.at("/spec/dynamicAllocation/maxExecutors").asInt());
    }

    @Test
    void flagsAloneDescribeAJobAndOverrideTheFile() throws IOException {
        CliRun flagsOnly = run("--name", "pi", "--main-file", "local:///opt/spark/examples/jars/spark-examples.jar",
                "--main-class", "org.apache.spark.examples.SparkPi", "--arg", "1000", "--executors", "3", "--dry-run");
        assertEquals(0, flagsOnly.exitCode(), flagsOnly::toString);
        JsonNode pi = yaml(flagsOnly.out());
        assertEquals("1000", pi.at("/spec/arguments/0").asText());
        assertEquals(3, pi.at("/spec/executor/instances").asInt());

        CliRun over = run(EXAMPLE_JOB, "--executor-memory", "8g", "--conf", "spark.sql.shuffle.partitions=64", "--retries", "0",
                "--executors", "5", "--dry-run");
        assertEquals(0, over.exitCode(), over::toString);
        JsonNode app = yaml(over.out());
        assertEquals("8g", app.at("/spec/executor/memory").asText());
        assertEquals(5, app.at("/spec/executor/instances").asInt());
        assertTrue(app.at("/spec/dynamicAllocation").isMissingNode());
        assertEquals("64", app.at("/spec/sparkConf/spark.sql.shuffle.partitions").asText());
        assertEquals("Never", app.at("/spec/restartPolicy/type").asText());
        assertEquals("io.logexaminer.jobs.DailyEvents", app.at("/spec/mainClass").asText(), "the file's value where no flag says otherwise");
    }

    @Test
    void aBadJobFileIsRejectedWithFileLineAndField() throws IOException {
        Path file = job("name: etl\nmainApplicationFile: s3a://b/etl.py\ndriver:\n  memory: lots\nexecuter: {cores: 2}\n");
        CliRun r = run(file.toString(), "--dry-run");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(file + ":4: driver.memory: 'lots' is not a memory size such as 2g or 512m\n"
                + file + ":5: executer: unknown key (did you mean 'executor'?)\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void whatIsMissingIsToldWithTheFlagThatCouldGiveIt() throws IOException {
        Path file = job("name: etl\ntype: Java\n");
        CliRun fromFile = run(file.toString(), "--dry-run");
        assertEquals(2, fromFile.exitCode(), fromFile::toString);
        assertEquals(file + ":1: mainApplicationFile: is required (or pass --main-file)\n", fromFile.err());

        CliRun fromFlags = run("--name", "etl", "--dry-run");
        assertEquals(2, fromFlags.exitCode(), fromFlags::toString);
        assertTrue(fromFlags.err().contains("--main-file is required (or give a JOB_FILE)"), fromFlags.err());
    }

    @Test
    void badFlagValuesNameTheFlag() {
        CliRun memory = run(EXAMPLE_JOB, "--driver-memory", "2x", "--dry-run");
        assertEquals(2, memory.exitCode(), memory::toString);
        assertTrue(memory.err().contains("--driver-memory: '2x' is not a memory size such as 2g or 512m"), memory.err());

        CliRun type = run(EXAMPLE_JOB, "--type", "Rust", "--dry-run");
        assertEquals(2, type.exitCode());
        assertTrue(type.err().contains("--type: 'Rust' is not one of Scala, Java, Python"), type.err());

        CliRun timeout = run(EXAMPLE_JOB, "--timeout", "soon");
        assertEquals(2, timeout.exitCode());
        assertTrue(timeout.err().contains("'soon' is not a duration: use 500ms, 30s, 2m or 1h"), timeout.err());
        assertFalse(timeout.all().contains("\tat "), "no stack trace");
    }

    @Test
    void companionOperationsTakeNoJobAndOneAtATime() {
        CliRun two = run("--status", "a", "--delete", "b");
        assertEquals(2, two.exitCode());
        assertTrue(two.err().contains("--status and --delete do not go together"), two.err());

        CliRun uiDetached = run(EXAMPLE_JOB, "--ui", "--detach");
        assertEquals(2, uiDetached.exitCode());
        assertTrue(uiDetached.err().contains("--ui goes with following a job"), uiDetached.err());

        CliRun withJob = run(EXAMPLE_JOB, "--logs", "a");
        assertEquals(2, withJob.exitCode());
        assertTrue(withJob.err().contains("--logs works on an application that exists"), withJob.err());
    }

    @Test
    void aDryRunWithoutCredentialsShowsWhereTheAccountGoes() throws IOException {
        CliRun r = CliRun.run(Map.of(), "", "submit-job", "-f", PLATFORM, EXAMPLE_JOB, "--dry-run");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("warning: could not read the AWS account"), r.err());
        assertEquals("{accountId}.dkr.ecr.eu-west-1.amazonaws.com/data-platform/spark:3.5.1", yaml(r.out()).at("/spec/image").asText());
    }
}
