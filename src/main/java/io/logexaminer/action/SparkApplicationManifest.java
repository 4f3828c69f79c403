package io.logexaminer.action;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.config.ImageReference;
import io.logexaminer.config.JobSpec;
import io.logexaminer.config.Platform;
import io.logexaminer.plan.PlatformNames;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The SparkApplication ({@code sparkoperator.k8s.io/v1beta2}) for a job on this platform: the platform's Spark
 * image from ECR, the IRSA service account, the driver on the system nodes and executors on the executor nodes
 * (tolerating their taint), S3A with web-identity credentials and an Iceberg catalog on the Hive Metastore.
 * A plain JSON tree, so that it prints as YAML and goes to the cluster without reflection.
 */
public final class SparkApplicationManifest {
    public static final String API_VERSION = "sparkoperator.k8s.io/v1beta2";
    public static final String KIND = "SparkApplication";
    public static final String JOB_LABEL = "logexaminer.io/job";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    /** The catalog name jobs use for Iceberg tables: {@code iceberg.db.table}. */
    public static final String ICEBERG_CATALOG = "iceberg";
    static final String SYSTEM_NODE_GROUP = "system";
    static final String EXECUTOR_NODE_GROUP = "executors";
    private static final int SUFFIX_LENGTH = 5;
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int RETRY_INTERVAL_SECONDS = 10;

    private SparkApplicationManifest() {
    }

    /** The job's name and a short random suffix, so that every submission is its own application. */
    public static String uniqueName(String jobName, RandomGenerator random) {
        StringBuilder name = new StringBuilder(jobName).append('-');
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            name.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return name.toString();
    }

    /** The image the job runs: its own, or the platform's Spark mirror; a name without registry is in the platform's ECR. */
    public static String image(JobSpec.Job job, Platform platform, String accountId) {
        String image = job.image().orElse(platform.spark().image());
        return ImageReference.namesRegistry(image) ? image : PlatformNames.ecrRegistry(accountId, platform.region()) + "/" + image;
    }

    /** The configuration every job gets before its own: S3A through IRSA, and the Iceberg catalog. */
    public static Map<String, String> platformSparkConf(Platform platform, String accountId) {
        String warehouse = "s3a://" + PlatformNames.bucketName(platform.storage().icebergBucket(), accountId, platform.region())
                + "/warehouse";
        String catalog = "spark.sql.catalog." + ICEBERG_CATALOG;
        return Map.of(
                "spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem",
                "spark.hadoop.fs.s3a.aws.credentials.provider", "com.amazonaws.auth.WebIdentityTokenCredentialsProvider",
                "spark.hadoop.fs.s3a.endpoint", "s3." + platform.region() + ".amazonaws.com",
                "spark.hadoop.fs.s3a.endpoint.region", platform.region(),
                "spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
                catalog, "org.apache.iceberg.spark.SparkCatalog",
                catalog + ".type", "hive",
                catalog + ".uri", PlatformNames.hiveMetastoreUri(platform),
                catalog + ".warehouse", warehouse);
    }

    public static ObjectNode build(JobSpec.Job job, Platform platform, String accountId, String name) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        Platform.Spark spark = platform.spark();
        ObjectNode app = json.objectNode();
        app.put("apiVersion", API_VERSION);
        app.put("kind", KIND);
        ObjectNode metadata = app.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", spark.namespace());
        labels(metadata.putObject("labels"), platform, job);

        ObjectNode spec = app.putObject("spec");
        spec.put("type", job.type().spelling());
        spec.put("mode", "cluster");
        spec.put("image", image(job, platform, accountId));
        spec.put("imagePullPolicy", "IfNotPresent");
        job.mainClass().ifPresent(c -> spec.put("mainClass", c));
        spec.put("mainApplicationFile", job.mainApplicationFile());
        if (!job.arguments().isEmpty()) {
            strings(spec.putArray("arguments"), job.arguments());
        }
        spec.put("sparkVersion", spark.sparkVersion());
        restartPolicy(spec.putObject("restartPolicy"), job.retries());
        Map<String, String> conf = new TreeMap<>(platformSparkConf(platform, accountId));
        conf.putAll(job.sparkConf());
        ObjectNode sparkConf = spec.putObject("sparkConf");
        conf.forEach(sparkConf::put);
        deps(spec, job.deps());
        job.dynamicAllocation().ifPresent(d -> {
            ObjectNode da = spec.putObject("dynamicAllocation");
            da.put("enabled", true);
            putIfSet(da, "initialExecutors", d.initialExecutors());
            putIfSet(da, "minExecutors", d.minExecutors());
            putIfSet(da, "maxExecutors", d.maxExecutors());
        });

        ObjectNode driver = spec.putObject("driver");
        driver.put("cores", job.driver().cores());
        driver.put("memory", job.driver().memory());
        driver.put("serviceAccount", spark.serviceAccount());
        placement(driver, platform.eks().nodeGroup(SYSTEM_NODE_GROUP));
        labels(driver.putObject("labels"), platform, job);

        ObjectNode executor = spec.putObject("executor");
        executor.put("cores", job.executor().cores());
        executor.put("memory", job.executor().memory());
        if (job.dynamicAllocation().isEmpty()) {
            executor.put("instances", job.executor().instances());
        }
        executor.put("serviceAccount", spark.serviceAccount());
        placement(executor, platform.eks().nodeGroup(EXECUTOR_NODE_GROUP));
        labels(executor.putObject("labels"), platform, job);
        return app;
    }

    private static void labels(ObjectNode labels, Platform platform, JobSpec.Job job) {
        labels.put(Platform.OWNER_TAG, platform.name());
        labels.put(JOB_LABEL, job.name());
        labels.put(MANAGED_BY_LABEL, "logexaminer");
    }

    /** No retries: {@code Never}. Otherwise the operator retries failed runs and failed submissions as often. */
    private static void restartPolicy(ObjectNode policy, int retries) {
        if (retries == 0) {
            policy.put("type", "Never");
            return;
        }
        policy.put("type", "OnFailure");
        policy.put("onFailureRetries", retries);
        policy.put("onFailureRetryInterval", RETRY_INTERVAL_SECONDS);
        policy.put("onSubmissionFailureRetries", retries);
        policy.put("onSubmissionFailureRetryInterval", RETRY_INTERVAL_SECONDS);
    }

    private static void deps(ObjectNode spec, JobSpec.Deps deps) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putIfSet(node, "jars", deps.jars());
        putIfSet(node, "files", deps.files());
        putIfSet(node, "pyFiles", deps.pyFiles());
        putIfSet(node, "packages", deps.packages());
        if (!node.isEmpty()) {
            spec.set("deps", node);
        }
    }

    /** The node group's labels as the node selector and a toleration for each of its taints. */
    private static void placement(ObjectNode role, Optional<Platform.NodeGroup> group) {
        if (group.isEmpty()) {
            return;
        }
        if (!group.get().labels().isEmpty()) {
            ObjectNode selector = role.putObject("nodeSelector");
            new TreeMap<>(group.get().labels()).forEach(selector::put);
        }
        if (!group.get().taints().isEmpty()) {
            ArrayNode tolerations = role.putArray("tolerations");
            for (Platform.Taint taint : group.get().taints()) {
                ObjectNode t = tolerations.addObject();
                t.put("key", taint.key());
                if (taint.value().isEmpty()) {
                    t.put("operator", "Exists");
                } else {
                    t.put("operator", "Equal");
                    t.put("value", taint.value());
                }
                t.put("effect", taint.effect().spelling());
            }
        }
    }

    private static void putIfSet(ObjectNode node, String key, Integer value) {
        if (value != null) {
            node.put(key, value);
        }
    }

    private static void putIfSet(ObjectNode node, String key, List<String> values) {
        if (values != null) {
            strings(node.putArray(key), values);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
