package io.logexaminer.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.config.JobSpec;
import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkApplicationManifestTest {
    private static final Platform PLATFORM = PlatformLoader.load(
            TestBinaries.projectDir().resolve("examples/platform.yaml").toString(), new ByteArrayInputStream(new byte[0]),
            Optional.empty()).platform();
    private static final String ACCOUNT = "123456789012";
    private static final JsonNode EXPECTED_EXECUTOR_TOLERATIONS = json("""
            [{"key": "role", "operator": "Equal", "value": "executors", "effect": "NoSchedule"}]""");

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode build(JobSpec spec) {
        return SparkApplicationManifest.build(spec.resolve(PLATFORM.spark()), PLATFORM, ACCOUNT, "pi-abcde");
    }

    private static JobSpec pi(Integer retries) {
        return new JobSpec("pi", null, "local:///opt/spark/examples/jars/spark-examples.jar", "org.apache.spark.examples.SparkPi",
                List.of("100"), null, null, null, null, null, null, Map.of("spark.sql.shuffle.partitions", "8"),
                JobSpec.Deps.NONE, null, retries);
    }

    @Test
    void theManifestPlacesTheJobOnThePlatform() {
        JsonNode app = build(pi(null));
        assertEquals("sparkoperator.k8s.io/v1beta2", app.path("apiVersion").asText());
        assertEquals("SparkApplication", app.path("kind").asText());
        assertEquals("pi-abcde", app.at("/metadata/name").asText());
        assertEquals("spark", app.at("/metadata/namespace").asText());
        assertEquals(json("""
                {"logexaminer.io/platform": "logexaminer", "logexaminer.io/job": "pi", "app.kubernetes.io/managed-by": "logexaminer"}"""),
                app.at("/metadata/labels"));
        JsonNode spec = app.path("spec");
        assertEquals("Scala", spec.path("type").asText());
        assertEquals("cluster", spec.path("mode").asText());
        assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com/data-platform/spark:3.5.1", spec.path("image").asText());
        assertEquals("3.5.1", spec.path("sparkVersion").asText());
        assertEquals("org.apache.spark.examples.SparkPi", spec.path("mainClass").asText());
        assertEquals(json("[\"100\"]"), spec.path("arguments"));
        assertEquals(json("{\"type\": \"Never\"}"), spec.path("restartPolicy"));

        assertEquals("spark-apps", spec.at("/driver/serviceAccount").asText());
        assertEquals("spark-apps", spec.at("/executor/serviceAccount").asText());
        assertEquals(json("{\"role\": \"system\"}"), spec.at("/driver/nodeSelector"));
        assertTrue(spec.at("/driver/tolerations").isMissingNode(), "the system nodes have no taint");
        assertEquals(json("{\"role\": \"executors\"}"), spec.at("/executor/nodeSelector"));
        assertEquals(EXPECTED_EXECUTOR_TOLERATIONS, spec.at("/executor/tolerations"));
        assertEquals(1, spec.at("/driver/cores").asInt());
        assertEquals("2g", spec.at("/driver/memory").asText());
        assertEquals(2, spec.at("/executor/instances").asInt());
        assertEquals("pi", spec.at("/executor/labels/logexaminer.io~1job").asText());
    }

    @Test
    void sparkConfHasS3aWithWebIdentityAndTheIcebergCatalogOnTheMetastore() {
        JsonNode conf = build(pi(null)).at("/spec/sparkConf");
        assertEquals("com.amazonaws.auth.WebIdentityTokenCredentialsProvider", conf.path("spark.hadoop.fs.s3a.aws.credentials.provider").asText());
        assertEquals("org.apache.hadoop.fs.s3a.S3AFileSystem", conf.path("spark.hadoop.fs.s3a.impl").asText());
        assertEquals("s3.eu-west-1.amazonaws.com", conf.path("spark.hadoop.fs.s3a.endpoint").asText());
        assertEquals("org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions", conf.path("spark.sql.extensions").asText());
        assertEquals("org.apache.iceberg.spark.SparkCatalog", conf.path("spark.sql.catalog.iceberg").asText());
        assertEquals("hive", conf.path("spark.sql.catalog.iceberg.type").asText());
        assertEquals("thrift://hive-metastore.hive.svc.cluster.local:9083", conf.path("spark.sql.catalog.iceberg.uri").asText());
        String bucket = PLATFORM.storage().icebergBucket().name().replace("{accountId}", ACCOUNT).replace("{region}", "eu-west-1");
        assertEquals("s3a://" + bucket + "/warehouse", conf.path("spark.sql.catalog.iceberg.warehouse").asText());
        assertEquals("true", conf.path("spark.sql.adaptive.enabled").asText(), "platform.yaml's sparkConf");
        assertEquals("8", conf.path("spark.sql.shuffle.partitions").asText(), "the job's sparkConf");
    }

    @Test
    void theJobsOwnSettingsWinOverThePlatforms() {
        JobSpec spec = new JobSpec("etl", null, "s3a://b/etl.py", null, null, 2, "3g", null, null, null,
                new JobSpec.DynamicAllocation(null, 1, 9), Map.of("spark.hadoop.fs.s3a.endpoint", "s3.example"),
                new JobSpec.Deps(null, null, List.of("s3a://b/lib.zip"), null), "data-platform/spark:3.5.1-custom", 3);
        JsonNode manifest = build(spec).path("spec");
        assertEquals("Python", manifest.path("type").asText());
        assertFalse(manifest.has("mainClass"));
        assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com/data-platform/spark:3.5.1-custom", manifest.path("image").asText());
        assertEquals("s3.example", manifest.at("/sparkConf/spark.hadoop.fs.s3a.endpoint").asText());
        assertEquals(json("{\"enabled\": true, \"minExecutors\": 1, \"maxExecutors\": 9}"), manifest.path("dynamicAllocation"));
        assertTrue(manifest.at("/executor/instances").isMissingNode(), "dynamic allocation decides the executors");
        assertEquals(json("{\"pyFiles\": [\"s3a://b/lib.zip\"]}"), manifest.path("deps"));
        assertEquals(json("""
                {"type": "OnFailure", "onFailureRetries": 3, "onFailureRetryInterval": 10,
                 "onSubmissionFailureRetries": 3, "onSubmissionFailureRetryInterval": 10}"""), manifest.path("restartPolicy"));
        assertEquals(2, manifest.at("/driver/cores").asInt());
        assertEquals("3g", manifest.at("/driver/memory").asText());
    }

    @Test
    void anImageWithARegistryIsTakenAsItIs() {
        JobSpec spec = new JobSpec("etl", null, "s3a://b/etl.py", null, null, null, null, null, null, null, null, Map.of(),
                JobSpec.Deps.NONE, "ghcr.io/acme/spark:3.5.1", null);
        assertEquals("ghcr.io/acme/spark:3.5.1", build(spec).at("/spec/image").asText());
    }

    @Test
    void namesAreTheJobsWithAShortSuffix() {
        Random random = new Random(7);
        String a = SparkApplicationManifest.uniqueName("daily-events", random);
        String b = SparkApplicationManifest.uniqueName("daily-events", random);
        assertTrue(a.matches("daily-events-[a-z0-9]{5}"), a);
        assertNotEquals(a, b);
    }
}
