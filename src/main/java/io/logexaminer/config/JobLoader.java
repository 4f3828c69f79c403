package io.logexaminer.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a job file for {@code submit-job} as strictly as platform.yaml: an unknown key is an error, and every
 * problem is reported at once as {@code FILE:LINE: path: message}.
 */
public final class JobLoader {
    private JobLoader() {
    }

    /** The job a file describes; throws {@link ConfigException} listing every problem. */
    public static Loaded load(Path file) {
        String source = file.toString();
        try {
            return parse(source, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw ConfigException.of(source, 1, "", "no such job file (looked at " + file.toAbsolutePath().normalize() + ")");
        } catch (IOException e) {
            throw ConfigException.of(source, 1, "", "cannot read: " + e.getMessage());
        }
    }

    /** A job file's spec, where it came from and the line of each key, for problems found after merging. */
    public record Loaded(JobSpec spec, String source, LineIndex lines) {

        /** {@code issues} as problems of this file, each at the line of its key. */
        public ConfigException problems(List<JobSpec.Issue> issues) {
            return new ConfigException(issues.stream()
                    .map(i -> new Problem(source, lines.lineOf(i.path()), i.path(), i.message(), Problem.Severity.ERROR))
                    .toList());
        }
    }

    public static Loaded parse(String source, String text) {
        List<Problem> problems = new ArrayList<>();
        YamlNode root = new YamlParser(source, problems).parse(text);
        if (root == null) {
            throw new ConfigException(problems);
        }
        LineIndex lines = new LineIndex();
        if (!(root instanceof YamlNode.Mapping mapping)) {
            throw ConfigException.of(source, root.line(), "", "expected a mapping at the top of the job file, found " + root.kind());
        }
        Fields fields = new Fields(source, problems, lines, mapping, "");
        JobSpec spec = read(fields);
        fields.end();
        // A value that could not be read stands in as a default: its problem is told already.
        spec.check().stream().filter(i -> problems.stream().noneMatch(p -> p.path().equals(i.path())))
                .forEach(i -> problems.add(new Problem(source, lines.lineOf(i.path()), i.path(), i.message(), Problem.Severity.ERROR)));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream().sorted((a, b) -> Integer.compare(a.line(), b.line())).toList());
        }
        return new Loaded(spec, source, lines);
    }

    /** The sizes of the driver or of each executor; {@code instances} only for executors. */
    private record Sizes(Integer cores, String memory, Integer instances) {
    }

    private static JobSpec read(Fields f) {
        String name = f.string("name", null);
        JobSpec.Type type = f.choice("type", null, PlatformLoader.spellings(JobSpec.Type.values(), JobSpec.Type::spelling));
        String mainApplicationFile = f.string("mainApplicationFile", null);
        String mainClass = f.string("mainClass", null);
        List<String> arguments = f.strings("arguments", null);
        Sizes driver = f.object("driver", d -> new Sizes(optionalInteger(d, "cores"), d.string("memory", null), null));
        Sizes executor = f.object("executor", e -> new Sizes(optionalInteger(e, "cores"), e.string("memory", null),
                optionalInteger(e, "instances")));
        JobSpec.DynamicAllocation dynamic = f.has("dynamicAllocation")
                ? f.object("dynamicAllocation", d -> {
                    boolean enabled = d.bool("enabled", true);
                    JobSpec.DynamicAllocation a = new JobSpec.DynamicAllocation(optionalInteger(d, "initialExecutors"),
                            optionalInteger(d, "minExecutors"), optionalInteger(d, "maxExecutors"));
                    return enabled ? a : null;
                })
                : null;
        Map<String, String> sparkConf = f.stringMap("sparkConf", Map.of());
        JobSpec.Deps deps = f.object("deps", d -> new JobSpec.Deps(d.strings("jars", null), d.strings("files", null),
                d.strings("pyFiles", null), d.strings("packages", null)));
        String image = f.string("image", null);
        Integer retries = optionalInteger(f, "retries");
        return new JobSpec(name, type, mainApplicationFile, mainClass, arguments, driver.cores(), driver.memory(),
                executor.cores(), executor.memory(), executor.instances(), dynamic, sparkConf, deps, image, retries);
    }

    private static Integer optionalInteger(Fields f, String key) {
        return f.has(key) ? f.integer(key, 0) : null;
    }
}
