package io.logexaminer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The tool as a separate process, as a shell runs it, and what /proc says about a process's memory. */
public final class ToolProcess {
    private ToolProcess() {
    }

    /** {@code java JVM_OPTIONS -cp CLASSPATH io.logexaminer.cli.Main ARGS}, on the JVM running the tests. */
    public static List<String> command(List<String> jvmOptions, String classpath, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmOptions);
        if (Runtime.version().feature() >= 23) {
            // as the launcher install.sh writes: the driver's LZ4 code uses sun.misc.Unsafe
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", classpath, "io.logexaminer.cli.Main"));
        command.addAll(args);
        return command;
    }

    /**
     * The AOT cache install.sh trains for the launcher to start {@code command} with (cli.AotTraining on
     * examples/platform.yaml: made-up AWS credentials at most, loopback ports that are closed or refuse every request),
     * for the jar at {@code classpath}, written to {@code cache}; empty before JDK 25.
     */
    public static Optional<Path> launcherAotCache(String classpath, Path cache, String command) throws IOException, InterruptedException {
        if (Runtime.version().feature() < 25) {
            return Optional.empty();
        }
        List<String> training = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:+UseSerialGC", "--sun-misc-unsafe-memory-access=allow", "-XX:AOTCacheOutput=" + cache, "-cp", classpath,
                "io.logexaminer.cli.AotTraining", TestBinaries.projectDir().resolve("examples/platform.yaml").toString(), command));
        ProcessBuilder pb = new ProcessBuilder(training).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("KUBECONFIG") || name.startsWith("CLICKHOUSE_"));
        env.putAll(Map.of("HOME", cache.getParent().toString(), "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
        Process process = pb.start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.exists(cache)) {
            process.destroyForcibly();
            throw new IllegalStateException("the AOT training run failed: " + training);
        }
        return Optional.of(cache);
    }

    /** The names the JDK gives the I/O poller threads of virtual threads, as /proc shows them (15 characters at most). */
    private static final List<String> POLLER_THREADS = List.of("MasterPoller", "Read-Poller", "Write-Poller");

    /** A CLI process run to its end: its exit code, stderr, and the name of every thread seen while it ran. */
    public record Watched(int exitCode, String stderr, Set<String> threads) {
        /** Whether the JDK's virtual-thread I/O poller ran, whose thread in native code holds the JVM's exit 0.3 s. */
        public boolean startedPoller() {
            return POLLER_THREADS.stream().anyMatch(threads::contains);
        }
    }

    /**
     * Runs the CLI as its own process on the test class path, with {@code environment} added, reading its threads
     * from /proc every 2 ms until it ends; stdout is discarded.
     */
    public static Watched runWatchingThreads(List<String> args, Map<String, String> environment) throws IOException, InterruptedException {
        Path err = Files.createTempFile("logexaminer-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command(List.of("-XX:+UseSerialGC"), System.getProperty("java.class.path"), args))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
            pb.environment().putAll(environment);
            Process process = pb.start();
            Set<String> seen = new HashSet<>();
            while (!process.waitFor(2, TimeUnit.MILLISECONDS)) {
                seen.addAll(threadNames(process.pid()));
            }
            if (!seen.contains("VM Thread")) {
                throw new IllegalStateException("the process's threads could not be read while it ran: " + seen);
            }
            return new Watched(process.exitValue(), Files.readString(err), seen);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** The names of the process's threads now, from {@code /proc/PID/task/TID/comm} (cut to 15 characters by Linux). */
    public static Set<String> threadNames(long pid) {
        Set<String> names = new HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    names.add(Files.readString(task.resolve("comm")).strip());
                } catch (IOException ended) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | java.io.UncheckedIOException gone) {
            // the process has ended
        }
        return names;
    }

    /** CPU time the process has used so far (user and system), from {@code /proc/PID/stat}; 0 once it is gone. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime, fields 14 and 15 of the line, in clock ticks of 1/100 s
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** A {@code /proc/PID/status} field in KB (VmRSS: resident now, VmHWM: its peak); 0 once the process is gone. */
    public static long memoryKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }
}
