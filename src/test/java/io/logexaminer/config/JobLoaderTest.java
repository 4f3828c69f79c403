package io.logexaminer.config;

import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobLoaderTest {
    private static final Platform.Spark DEFAULTS = PlatformLoader.load(TestPaths.example(), new ByteArrayInputStream(new byte[0]),
            Optional.empty()).platform().spark();

    private static List<String> errors(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> JobLoader.parse("job.yaml", yaml));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void theExampleJobLoads() {
        JobSpec spec = JobLoader.load(TestBinaries.projectDir().resolve("examples/spark-job.yaml")).spec();
        assertEquals("daily-events", spec.name());
        assertEquals(JobSpec.Type.SCALA, spec.type());
        assertEquals(List.of("--date", "2025-06-01"), spec.arguments());
        assertEquals(new JobSpec.DynamicAllocation(null, 1, 12), spec.dynamicAllocation());
        assertEquals(Map.of("spark.sql.shuffle.partitions", "200"), spec.sparkConf());
        assertEquals(2, spec.deps().packages().size());
        assertEquals(2, spec.retries());
        assertEquals(List.of(), spec.missing());
    }

    @Test
    void platformDefaultsFillWhatTheFileLeavesOut() {
        JobSpec.Job job = JobLoader.parse("job.yaml", "name: etl\nmainApplicationFile: s3a://b/etl.py\n").spec().resolve(DEFAULTS);
        assertEquals(JobSpec.Type.PYTHON, job.type(), "a .py main file makes a Python job");
        assertEquals(new Platform.Resources(1, "2g"), job.driver());
        assertEquals(new Platform.Executor(2, "4g", 2), job.executor());
        assertEquals("true", job.sparkConf().get("spark.sql.adaptive.enabled"));
        assertEquals(0, job.retries());
        assertTrue(job.dynamicAllocation().isEmpty());
    }

    @Test
    void flagsOverrideTheFileAndSparkConfMergesKeyByKey() {
        JobSpec file = JobLoader.parse("job.yaml", """
                name: etl
                mainApplicationFile: s3a://b/etl.py
                arguments: [a, b]
                executor: {memory: 8g}
                dynamicAllocation: {maxExecutors: 10}
                sparkConf: {spark.a: "1", spark.b: "2"}
                """).spec();
        JobSpec flags = new JobSpec("etl2", null, null, null, List.of("c"), null, null, null, null, 4, null,
                Map.of("spark.b", "3"), JobSpec.Deps.NONE, null, null);
        JobSpec.Job job = flags.over(file).resolve(DEFAULTS);
        assertEquals("etl2", job.name());
        assertEquals(List.of("c"), job.arguments());
        assertEquals("8g", job.executor().memory());
        assertEquals(4, job.executor().instances());
        assertTrue(job.dynamicAllocation().isEmpty(), "--executors turns the file's dynamic allocation off");
        assertEquals("1", job.sparkConf().get("spark.a"));
        assertEquals("3", job.sparkConf().get("spark.b"));
    }

    @Test
    void everyProblemIsReportedWithFileLineAndField() {
        List<String> errors = errors("""
                name: Daily_Events
                mainAplicationFile: s3a://b/x.jar
                type: Rust
                driver:
                  cores: two
                executor:
                  memory: 4 gigs
                  instances: -1
                sparkConf:
                  spark.x: [1]
                """);
        assertEquals(List.of(
                "job.yaml:1: name: 'Daily_Events' is not a valid job name (lowercase letters, digits and '-', starting with a letter)",
                "job.yaml:2: mainAplicationFile: unknown key (did you mean 'mainApplicationFile'?)",
                "job.yaml:3: type: 'Rust' is not one of Scala, Java, Python",
                "job.yaml:5: driver.cores: expected an integer, found a string 'two'",
                "job.yaml:7: executor.memory: '4 gigs' is not a memory size such as 2g or 512m",
                "job.yaml:8: executor.instances: must be at least 0",
                "job.yaml:10: sparkConf.spark.x: expected a string, found a list"), errors);
    }

    @Test
    void valuesAreCheckedAgainstWhatSparkAccepts() {
        List<String> errors = errors("""
                name: Daily_Events
                mainApplicationFile: s3a://b/x.jar
                executor:
                  memory: 4 gigs
                  instances: -1
                dynamicAllocation:
                  minExecutors: 5
                  maxExecutors: 2
                """);
        assertEquals(List.of(
                "job.yaml:1: name: 'Daily_Events' is not a valid job name (lowercase letters, digits and '-', starting with a letter)",
                "job.yaml:4: executor.memory: '4 gigs' is not a memory size such as 2g or 512m",
                "job.yaml:5: executor.instances: must be at least 0",
                "job.yaml:8: dynamicAllocation.maxExecutors: is less than minExecutors (5)"), errors);
    }

    @Test
    void aLongNameIsRejectedBecauseExecutorPodNamesAreLimited() {
        assertEquals(List.of("job.yaml:1: name: is longer than 40 characters"),
                errors("name: " + "a".repeat(41) + "\nmainApplicationFile: x.py\n"));
    }

    @Test
    void malformedYamlAndWrongTopLevelAreOneLine() {
        assertEquals(1, errors("name: [unclosed\n").size());
        assertEquals(List.of("job.yaml:1: expected a mapping at the top of the job file, found a list"), errors("- a\n- b\n"));
    }

    @Test
    void missingFieldsAreToldAtTheFilesLine() {
        JobLoader.Loaded loaded = JobLoader.parse("job.yaml", "# no name here\ntype: Java\n");
        List<String> problems = loaded.problems(loaded.spec().missing()).problems().stream().map(Problem::toString).toList();
        assertEquals(List.of("job.yaml:1: name: is required", "job.yaml:1: mainApplicationFile: is required"), problems);
        JobSpec javaWithoutClass = JobLoader.parse("job.yaml", "name: a\ntype: Java\nmainApplicationFile: a.jar\n").spec();
        assertEquals(List.of(new JobSpec.Issue("mainClass", "is required for a Java job")), javaWithoutClass.missing());
    }

    @Test
    void aMissingFileSaysWhereItLooked() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobLoader.load(Path.of("no-such-job.yaml")));
        assertTrue(e.getMessage().startsWith("no-such-job.yaml:1: no such job file (looked at /"), e.getMessage());
    }

    @Test
    void dynamicAllocationCanBeSwitchedOffInTheFile() {
        assertNull(JobLoader.parse("job.yaml", "dynamicAllocation: {enabled: false, maxExecutors: 3}\n").spec().dynamicAllocation());
    }
}
