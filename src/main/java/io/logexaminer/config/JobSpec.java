package io.logexaminer.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Spark job as the user described it, in a job file or as flags: every field may be missing (null). Flags are
 * laid {@link #over} the file, and {@link #resolve} fills what is still missing from platform.yaml's {@code spark}.
 * Paths in {@link Issue}s are the job file's keys, such as {@code driver.memory}.
 */
public record JobSpec(
        String name,
        Type type,
        String mainApplicationFile,
        String mainClass,
        List<String> arguments,
        Integer driverCores,
        String driverMemory,
        Integer executorCores,
        String executorMemory,
        Integer executorInstances,
        DynamicAllocation dynamicAllocation,
        Map<String, String> sparkConf,
        Deps deps,
        String image,
        Integer retries) {

    /** Spark names become pod names with a suffix; executor pod name prefixes may not exceed 47 characters. */
    public static final int MAX_NAME_LENGTH = 40;
    private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    public static final JobSpec EMPTY = new JobSpec(null, null, null, null, null, null, null, null, null, null, null,
            Map.of(), Deps.NONE, null, null);

    /** The application types of the Spark Operator, spelled as its {@code spec.type} wants them. */
    public enum Type {
        SCALA("Scala"), JAVA("Java"), PYTHON("Python");

        private final String spelling;

        Type(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }

        /** The type named by {@code text}, compared without regard to case. */
        public static Optional<Type> parse(String text) {
            for (Type t : values()) {
                if (t.spelling.equalsIgnoreCase(text)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }

        /** What a job without a type is: Python for a {@code .py} main file, otherwise Scala. */
        static Type of(String mainApplicationFile) {
            return mainApplicationFile.toLowerCase(Locale.ROOT).endsWith(".py") ? PYTHON : SCALA;
        }
    }

    /** Dynamic allocation is on when present; null bounds are left to Spark. */
    public record DynamicAllocation(Integer initialExecutors, Integer minExecutors, Integer maxExecutors) {
    }

    /** Dependencies as the operator's {@code spec.deps}; null lists are unset. */
    public record Deps(List<String> jars, List<String> files, List<String> pyFiles, List<String> packages) {
        public static final Deps NONE = new Deps(null, null, null, null);

        Deps over(Deps base) {
            return new Deps(first(jars, base.jars), first(files, base.files), first(pyFiles, base.pyFiles),
                    first(packages, base.packages));
        }
    }

    /** Something wrong with one field; {@code path} is the job file's key for it. */
    public record Issue(String path, String message) {
    }

    /**
     * A complete job: everything the SparkApplication needs, defaults filled in. {@code executorInstances} is
     * meaningless when {@code dynamicAllocation} is present.
     */
    public record Job(
            String name,
            Type type,
            String mainApplicationFile,
            Optional<String> mainClass,
            List<String> arguments,
            Platform.Resources driver,
            Platform.Executor executor,
            Optional<DynamicAllocation> dynamicAllocation,
            Map<String, String> sparkConf,
            Deps deps,
            Optional<String> image,
            int retries) {
    }

    /** This spec with every field it sets taking the place of {@code base}'s; sparkConf merges key by key. */
    public JobSpec over(JobSpec base) {
        Map<String, String> conf = new LinkedHashMap<>(base.sparkConf);
        conf.putAll(sparkConf);
        boolean fixedExecutors = executorInstances != null && dynamicAllocation == null;
        return new JobSpec(
                first(name, base.name),
                first(type, base.type),
                first(mainApplicationFile, base.mainApplicationFile),
                first(mainClass, base.mainClass),
                first(arguments, base.arguments),
                first(driverCores, base.driverCores),
                first(driverMemory, base.driverMemory),
                first(executorCores, base.executorCores),
                first(executorMemory, base.executorMemory),
                first(executorInstances, base.executorInstances),
                fixedExecutors ? null : first(dynamicAllocation, base.dynamicAllocation),
                Map.copyOf(conf),
                deps.over(base.deps),
                first(image, base.image),
                first(retries, base.retries));
    }

    /** What is wrong with the fields that are set. */
    public List<Issue> check() {
        List<Issue> issues = new ArrayList<>();
        if (name != null && !NAME.matcher(name).matches()) {
            issues.add(new Issue("name", "'" + name + "' is not a valid job name (lowercase letters, digits and '-', starting with a letter)"));
        } else if (name != null && name.length() > MAX_NAME_LENGTH) {
            issues.add(new Issue("name", "is longer than " + MAX_NAME_LENGTH + " characters"));
        }
        if (mainApplicationFile != null && mainApplicationFile.isBlank()) {
            issues.add(new Issue("mainApplicationFile", "is empty"));
        }
        atLeast(issues, "driver.cores", driverCores, 1);
        atLeast(issues, "executor.cores", executorCores, 1);
        atLeast(issues, "executor.instances", executorInstances, 0);
        atLeast(issues, "retries", retries, 0);
        memory(issues, "driver.memory", driverMemory);
        memory(issues, "executor.memory", executorMemory);
        if (dynamicAllocation != null) {
            atLeast(issues, "dynamicAllocation.initialExecutors", dynamicAllocation.initialExecutors, 0);
            atLeast(issues, "dynamicAllocation.minExecutors", dynamicAllocation.minExecutors, 0);
            atLeast(issues, "dynamicAllocation.maxExecutors", dynamicAllocation.maxExecutors, 1);
            if (dynamicAllocation.minExecutors != null && dynamicAllocation.maxExecutors != null
                    && dynamicAllocation.minExecutors > dynamicAllocation.maxExecutors) {
                issues.add(new Issue("dynamicAllocation.maxExecutors", "is less than minExecutors ("
                        + dynamicAllocation.minExecutors + ")"));
            }
        }
        if (image != null && !ImageReference.parse(image).ok()) {
            issues.add(new Issue("image", "'" + image + "' " + ImageReference.parse(image).error()));
        }
        sparkConf.keySet().stream().filter(String::isBlank)
                .forEach(k -> issues.add(new Issue("sparkConf", "has an empty key")));
        return issues;
    }

    /** What a complete job still lacks, once flags and file are merged. */
    public List<Issue> missing() {
        List<Issue> issues = new ArrayList<>();
        if (name == null) {
            issues.add(new Issue("name", "is required"));
        }
        if (mainApplicationFile == null) {
            issues.add(new Issue("mainApplicationFile", "is required"));
        } else if (mainClass == null && resolvedType() != Type.PYTHON) {
            issues.add(new Issue("mainClass", "is required for a " + resolvedType().spelling() + " job"));
        }
        return issues;
    }

    /** The complete job, with platform.yaml's {@code spark} filling what is missing. Call after {@link #missing()}. */
    public Job resolve(Platform.Spark defaults) {
        Map<String, String> conf = new LinkedHashMap<>(defaults.sparkConf());
        conf.putAll(sparkConf);
        return new Job(
                name,
                resolvedType(),
                mainApplicationFile,
                Optional.ofNullable(mainClass),
                arguments == null ? List.of() : arguments,
                new Platform.Resources(first(driverCores, defaults.driver().cores()),
                        first(driverMemory, defaults.driver().memory())),
                new Platform.Executor(first(executorCores, defaults.executor().cores()),
                        first(executorMemory, defaults.executor().memory()),
                        first(executorInstances, defaults.executor().instances())),
                Optional.ofNullable(dynamicAllocation),
                Map.copyOf(conf),
                deps,
                Optional.ofNullable(image),
                retries == null ? 0 : retries);
    }

    private Type resolvedType() {
        return type != null ? type : Type.of(mainApplicationFile);
    }

    private static void atLeast(List<Issue> issues, String path, Integer value, int minimum) {
        if (value != null && value < minimum) {
            issues.add(new Issue(path, "must be at least " + minimum));
        }
    }

    private static void memory(List<Issue> issues, String path, String value) {
        if (value != null && !PlatformValidator.MEMORY.matcher(value).matches()) {
            issues.add(new Issue(path, "'" + value + "' is not a memory size such as 2g or 512m"));
        }
    }

    private static <T> T first(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
