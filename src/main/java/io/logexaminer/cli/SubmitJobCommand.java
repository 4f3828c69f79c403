package io.logexaminer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.action.SparkJobAction;
import io.logexaminer.config.JobLoader;
import io.logexaminer.config.JobSpec;
import io.logexaminer.config.Platform;
import io.logexaminer.error.CancelledException;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.RemoteStateException;
import io.logexaminer.error.UsageException;
import io.logexaminer.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

@Command(name = "submit-job", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Submit a Spark job as a SparkApplication, follow it and exit with its outcome.",
                "The job comes from JOB_FILE, from flags, or both (flags win); platform.yaml's spark section fills the rest.",
                "Exit codes: 0 completed, 3 failed or its driver stuck, 1 timeout or other failure,",
                "130 Ctrl-C (the job keeps running)."})
public final class SubmitJobCommand extends PlatformCommand {
    /** The flag that sets each job file key, for problems with a flag's value. */
    private static final Map<String, String> FLAG_OF_PATH = Map.ofEntries(
            Map.entry("name", "--name"),
            Map.entry("mainApplicationFile", "--main-file"),
            Map.entry("mainClass", "--main-class"),
            Map.entry("driver.cores", "--driver-cores"),
            Map.entry("driver.memory", "--driver-memory"),
            Map.entry("executor.cores", "--executor-cores"),
            Map.entry("executor.memory", "--executor-memory"),
            Map.entry("executor.instances", "--executors"),
            Map.entry("dynamicAllocation.minExecutors", "--min-executors"),
            Map.entry("dynamicAllocation.maxExecutors", "--max-executors"),
            Map.entry("image", "--image"),
            Map.entry("retries", "--retries"),
            Map.entry("sparkConf", "--conf"));


    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB_FILE", description = "the job description (YAML)")
    Path jobFile;

    @Option(names = "--name", paramLabel = "NAME", description = "job name; the application is NAME-xxxxx")
    String name;

    @Option(names = "--type", paramLabel = "TYPE", description = "Scala, Java or Python (default: Python for a .py file, else Scala)")
    String type;

    @Option(names = "--main-file", paramLabel = "URI", description = "the application's jar or Python file (mainApplicationFile)")
    String mainFile;

    @Option(names = "--main-class", paramLabel = "CLASS", description = "the main class of a Scala or Java job")
    String mainClass;

    @Option(names = "--arg", paramLabel = "ARG", description = "an argument for the application; repeat for more (replaces the file's)")
    List<String> arguments;

    @Option(names = "--driver-cores", paramLabel = "N", description = "the driver's cores")
    Integer driverCores;

    @Option(names = "--driver-memory", paramLabel = "SIZE", description = "such as 2g or 512m")
    String driverMemory;

    @Option(names = "--executor-cores", paramLabel = "N", description = "each executor's cores")
    Integer executorCores;

    @Option(names = "--executor-memory", paramLabel = "SIZE", description = "each executor's memory")
    String executorMemory;

    @Option(names = "--executors", paramLabel = "N", description = "a fixed number of executors (turns dynamic allocation off)")
    Integer executors;

    @Option(names = "--min-executors", paramLabel = "N", description = "dynamic allocation: the fewest executors")
    Integer minExecutors;

    @Option(names = "--max-executors", paramLabel = "N", description = "dynamic allocation: the most executors")
    Integer maxExecutors;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark setting; repeat for more (over the file's sparkConf)")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--jars", paramLabel = "URI", split = ",", description = "jars for the class path")
    List<String> jars;

    @Option(names = "--py-files", paramLabel = "URI", split = ",", description = "Python files for the PYTHONPATH")
    List<String> pyFiles;

    @Option(names = "--files", paramLabel = "URI", split = ",", description = "files to place in each working directory")
    List<String> files;

    @Option(names = "--packages", paramLabel = "COORDINATES", split = ",", description = "Maven coordinates to fetch at start")
    List<String> packages;

    @Option(names = "--image", paramLabel = "IMAGE", description = "another image; without a registry, a repository in the platform's ECR")
    String image;

    @Option(names = "--retries", paramLabel = "N", description = "retries of a failed run or submission (default: 0)")
    Integer retries;

    @Option(names = "--dry-run", description = "print the SparkApplication and submit nothing")
    boolean dryRun;

    @Option(names = "--detach", description = "return once submitted, without following")
    boolean detach;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "stop following after this long, exit 1 (the job keeps running)")
    Duration timeout;

    @Option(names = "--unschedulable-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "how long the driver pod may wait for a node before the job counts as stuck (default: ${DEFAULT-VALUE})")
    Duration unschedulableTimeout;

    @Option(names = "--ui", description = "forward the driver's Spark UI to localhost while the job is followed")
    boolean ui;

    @Option(names = "--ui-port", paramLabel = "PORT", defaultValue = "4040",
            description = "the local port for --ui; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int uiPort;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--follow", paramLabel = "NAME", description = "follow an application submitted before")
    String follow;

    @Option(names = "--status", paramLabel = "NAME", description = "print an application's state")
    String status;

    @Option(names = "--logs", paramLabel = "NAME", description = "print an application's driver log so far")
    String logs;

    @Option(names = "--delete", paramLabel = "NAME", description = "delete an application (its pods go with it)")
    String delete;

    @Override
    public Integer call() {
        List<String> modes = Stream.of(follow == null ? null : "--follow", status == null ? null : "--status",
                logs == null ? null : "--logs", delete == null ? null : "--delete").filter(m -> m != null).toList();
        if (modes.size() > 1) {
            throw new UsageException(String.join(" and ", modes) + " do not go together");
        }
        SparkJobAction.FollowOptions followOptions = new SparkJobAction.FollowOptions(Optional.ofNullable(timeout), unschedulableTimeout,
                ui ? OptionalInt.of(uiPort) : OptionalInt.empty());
        if (ui && (dryRun || detach || (!modes.isEmpty() && follow == null))) {
            throw new UsageException("--ui goes with following a job: not with --dry-run, --detach, --status, --logs or --delete");
        }
        if (!modes.isEmpty()) {
            if (jobFile != null || !flags().equals(JobSpec.EMPTY) || dryRun || detach) {
                throw new UsageException(modes.get(0) + " works on an application that exists: it takes no job, --dry-run or --detach");
            }
            return existing(followOptions);
        }
        JobSpec spec = jobSpec();
        Platform platform = platform();
        SparkJobAction.Prepared prepared = SparkJobAction.prepare(platform, awsAccess(), spec, dryRun, new SecureRandom(), listener());
        if (dryRun) {
            if (out().json()) {
                out().printJson(prepared.manifest());
            } else {
                out().printYaml(prepared.manifest());
            }
            return ExitCodes.OK;
        }
        try (SparkJobAction action = cluster(platform)) {
            action.submit(prepared, platform, listener());
            if (detach) {
                printName(prepared);
                out().info(hints(prepared.name()));
                return ExitCodes.OK;
            }
            return followed(action, prepared.namespace(), prepared.name(), followOptions);
        }
    }

    private int existing(SparkJobAction.FollowOptions options) {
        Platform platform = platform();
        String namespace = platform.spark().namespace();
        try (SparkJobAction action = cluster(platform)) {
            if (follow != null) {
                return followed(action, namespace, follow, options);
            }
            if (status != null) {
                printStatus(action.status(namespace, status));
            } else if (logs != null) {
                out().data().print(action.log(namespace, logs));
                out().data().flush();
            } else {
                action.delete(namespace, delete);
                out().info("deleted SparkApplication " + namespace + "/" + delete);
            }
            return ExitCodes.OK;
        }
    }

    private int followed(SparkJobAction action, String namespace, String appName, SparkJobAction.FollowOptions options) {
        SparkJobAction.FollowResult result = action.follow(namespace, appName, options, listener(), io().cancellation());
        if (out().json() && result.status().isPresent() && result.outcome() != SparkJobAction.Outcome.CANCELLED) {
            ObjectNode document = statusJson(result.status().get());
            document.put("outcome", result.outcome().name());
            out().printJson(document);
        }
        return switch (result.outcome()) {
            case COMPLETED -> {
                out().info(out().paint(result.message(), Output.Style.GREEN));
                yield ExitCodes.OK;
            }
            case FAILED -> throw new RemoteStateException(result.message());
            case DRIVER_STUCK -> throw new RemoteStateException(result.message() + "; " + deleteHint(appName));
            case DELETED -> throw new OperationFailedException(result.message());
            case TIMED_OUT -> throw new OperationFailedException(result.message() + "; it keeps running. " + hints(appName));
            case CANCELLED -> throw new CancelledException(result.message() + "; it keeps running. " + hints(appName));
        };
    }

    /** The job flags as a spec, each flag's value checked where the flag is named. */
    private JobSpec flags() {
        JobSpec.Type parsedType = type == null ? null : JobSpec.Type.parse(type)
                .orElseThrow(() -> new UsageException("--type: '" + type + "' is not one of Scala, Java, Python"));
        if (executors != null && (minExecutors != null || maxExecutors != null)) {
            throw new UsageException("--executors (a fixed number) and --min-executors/--max-executors (dynamic allocation) do not go together");
        }
        JobSpec.DynamicAllocation dynamic = minExecutors == null && maxExecutors == null ? null
                : new JobSpec.DynamicAllocation(null, minExecutors, maxExecutors);
        return new JobSpec(name, parsedType, mainFile, mainClass, arguments, driverCores, driverMemory, executorCores,
                executorMemory, executors, dynamic, Map.copyOf(conf), new JobSpec.Deps(jars, files, pyFiles, packages), image, retries);
    }

    /** The flags over the job file; problems name the flag, or the file's line when the value came from there. */
    private JobSpec jobSpec() {
        JobSpec fromFlags = flags();
        List<String> flagProblems = new ArrayList<>();
        fromFlags.check().forEach(i -> flagProblems.add(FLAG_OF_PATH.getOrDefault(i.path(), i.path()) + ": " + i.message()));
        if (!flagProblems.isEmpty()) {
            throw new UsageException(String.join("; ", flagProblems));
        }
        if (jobFile == null) {
            List<JobSpec.Issue> missing = fromFlags.missing();
            if (!missing.isEmpty()) {
                throw new UsageException(missing.stream().map(i -> FLAG_OF_PATH.get(i.path()) + " " + i.message())
                        .reduce((a, b) -> a + "; " + b).orElseThrow() + " (or give a JOB_FILE)");
            }
            return fromFlags;
        }
        JobLoader.Loaded loaded = JobLoader.load(jobFile);
        JobSpec merged = fromFlags.over(loaded.spec());
        List<JobSpec.Issue> missing = merged.missing().stream()
                .map(i -> new JobSpec.Issue(i.path(), i.message() + " (or pass " + FLAG_OF_PATH.get(i.path()) + ")")).toList();
        if (!missing.isEmpty()) {
            throw loaded.problems(missing);
        }
        return merged;
    }

    private SparkJobAction cluster(Platform platform) {
        return SparkJobAction.connect(cluster.choice(), () -> platform, awsAccess());
    }

    private SparkJobAction.Listener listener() {
        Output out = out();
        return new SparkJobAction.Listener() {
            @Override
            public void state(Instant at, String state, String detail) {
                out.info(at.truncatedTo(ChronoUnit.SECONDS) + " " + out.paint(state, style(state))
                        + (detail.isEmpty() ? "" : "  " + detail));
            }

            @Override
            public void driverLog(String line) {
                (out.json() ? out.log() : out.data()).println(line);
            }

            @Override
            public void warning(String message) {
                out.warn(message);
            }

            @Override
            public void info(String message) {
                out.info(message);
            }
        };
    }

    private static Output.Style style(String state) {
        return switch (state) {
            case "COMPLETED" -> Output.Style.GREEN;
            case "FAILED", "SUBMISSION_FAILED", "FAILING", "UNSCHEDULABLE" -> Output.Style.RED;
            case "PENDING_RERUN" -> Output.Style.YELLOW;
            default -> Output.Style.BOLD;
        };
    }

    private void printName(SparkJobAction.Prepared prepared) {
        if (out().json()) {
            ObjectNode document = Output.object();
            document.put("namespace", prepared.namespace());
            document.put("name", prepared.name());
            out().printJson(document);
        } else {
            out().data().println(prepared.name());
        }
    }

    private void printStatus(SparkJobAction.JobStatus s) {
        if (out().json()) {
            out().printJson(statusJson(s));
            return;
        }
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("name", s.namespace() + "/" + s.name());
        rows.put("state", s.state());
        s.errorMessage().lines().findFirst().ifPresent(m -> rows.put("error", m));
        rows.put("submissions", String.valueOf(s.submissionAttempts()));
        rows.put("runs", String.valueOf(s.executionAttempts()));
        rows.put("driver pod", s.driverPod());
        if (!s.sparkApplicationId().isEmpty()) {
            rows.put("spark app id", s.sparkApplicationId());
        }
        s.submissionTime().ifPresent(t -> rows.put("submitted", t));
        s.terminationTime().ifPresent(t -> rows.put("ended", t));
        rows.forEach((k, v) -> out().data().printf("%-13s %s%n", k + ":", v));
    }

    private static ObjectNode statusJson(SparkJobAction.JobStatus s) {
        ObjectNode document = Output.object();
        document.put("namespace", s.namespace());
        document.put("name", s.name());
        document.put("state", s.state());
        document.put("errorMessage", s.errorMessage());
        document.put("submissionAttempts", s.submissionAttempts());
        document.put("executionAttempts", s.executionAttempts());
        document.put("driverPod", s.driverPod());
        document.put("sparkApplicationId", s.sparkApplicationId());
        s.submissionTime().ifPresent(t -> document.put("submissionTime", t));
        s.terminationTime().ifPresent(t -> document.put("terminationTime", t));
        return document;
    }

    /** How to get back to an application: the same command line with the same platform.yaml. */
    private String hints(String appName) {
        return "Follow it: " + again("--follow", appName) + "; " + deleteHint(appName);
    }

    private String deleteHint(String appName) {
        return "delete it: " + again("--delete", appName);
    }

    private String again(String option, String appName) {
        String config = globals().config();
        return "logexaminer submit-job " + option + " " + appName + (config.equals("platform.yaml") ? "" : " -f " + config);
    }
}
