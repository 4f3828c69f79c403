package io.logexaminer.bench;

import io.logexaminer.testing.ClickHouseServer;
import io.logexaminer.testing.TestBinaries;
import io.logexaminer.testing.ToolProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Streaming N rows to CSV: {@code logexaminer query --format csv} (the jar as a process, JVM start included) against
 * curl fetching the same query with {@code FORMAT CSV} from the same endpoint, alternately, in one run; the median
 * times, their ratio, and each one's peak resident memory. Goals: at most 1.5x curl's time, under 256 MB at ten
 * million rows. Measured both on a plain JVM and as install.sh's launcher starts it (with the AOT cache it trains,
 * on JDK 25+). {@code -Dbench.rows=N} (default 10000000), {@code -Dbench.runs=R} (default 5).
 */
class QueryBenchmark {
    @RegisterExtension
    static final ClickHouseServer clickhouse = new ClickHouseServer();

    private static final long ROWS = Long.getLong("bench.rows", 10_000_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    private static final String SQL = "SELECT number AS id, toString(number * 7) AS name, number * 0.25 AS score, "
            + "toDate('2024-01-01') + number % 365 AS day, if(number % 10 = 0, NULL, number % 1000) AS bucket "
            + "FROM numbers(" + ROWS + ")";

    /** Wall time, peak resident memory and CPU time (as last seen before the process ended) of one run. */
    private record Run(double seconds, long peakKb, double cpuSeconds) {
    }

    @Test
    void queryToCsvAgainstCurl() throws Exception {
        String startLoad = loadAverage();
        List<String> tool = toolCommand(List.of());
        Path cache = Path.of("target/query-benchmark/query.aot").toAbsolutePath();
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);
        Optional<Path> trained = ToolProcess.launcherAotCache(classpath(), cache, "query");
        List<String> launcher = toolCommand(trained.map(c -> List.of("-XX:AOTCache=" + c)).orElse(List.of()));
        List<String> curl = List.of(TestBinaries.require("curl").toString(), "-sS", "--fail", "-o", "/dev/null",
                "-u", ClickHouseServer.USER + ":" + ClickHouseServer.PASSWORD, "--data-binary", SQL + " FORMAT CSV",
                clickhouse.endpoint() + "/");
        run(curl);
        run(tool);
        run(launcher);
        List<Run> tools = new ArrayList<>();
        List<Run> launcherRuns = new ArrayList<>();
        List<Run> curls = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            tools.add(run(tool));
            curls.add(run(curl));
            launcherRuns.add(run(launcher));
        }
        String load = startLoad + " at the start, " + loadAverage() + " at the end";
        double toolTime = median(tools.stream().map(Run::seconds).toList());
        double curlTime = median(curls.stream().map(Run::seconds).toList());
        long toolPeak = tools.stream().mapToLong(Run::peakKb).max().orElseThrow();
        long curlPeak = curls.stream().mapToLong(Run::peakKb).max().orElseThrow();
        double ratio = toolTime / curlTime;
        double launcherTime = median(launcherRuns.stream().map(Run::seconds).toList());
        System.out.printf(Locale.ROOT, "query, %d rows to CSV, median of %d runs on %d cores (load average %s): "
                        + "logexaminer %.2f s %s, curl %.2f s %s%n", ROWS, RUNS, Runtime.getRuntime().availableProcessors(),
                load, toolTime, times(tools), curlTime, times(curls));
        System.out.printf(Locale.ROOT, "query CPU time per run: logexaminer %.2f s, curl %.2f s (the server's work is the same)%n",
                median(tools.stream().map(Run::cpuSeconds).toList()), median(curls.stream().map(Run::cpuSeconds).toList()));
        System.out.printf(Locale.ROOT, "query time ratio logexaminer on a plain JVM (no cache)/curl: %.2fx%n", ratio);
        System.out.printf(Locale.ROOT, "query time ratio logexaminer as install.sh's launcher starts it (%s)/curl: %.2fx (goal: at most "
                        + "1.5x) %s %s%n", trained.isPresent() ? "AOT cache trained by cli.AotTraining" : "no AOT cache before JDK 25",
                launcherTime / curlTime, launcherTime / curlTime <= 1.5 ? "met" : "MISSED", times(launcherRuns));
        System.out.printf(Locale.ROOT, "query peak memory: logexaminer %d MB (goal: under 256 MB) %s, curl %d MB, ratio %.1fx%n",
                toolPeak / 1024, toolPeak < 256 * 1024 ? "met" : "MISSED", curlPeak / 1024, (double) toolPeak / curlPeak);
    }

    /** The jar mvn package builds, with its lib/ beside it, and the launcher's JVM options; the classes if not built. */
    private static List<String> toolCommand(List<String> extraOptions) {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=error:stderr"));
        options.addAll(extraOptions);
        List<String> command = ToolProcess.command(options, classpath(), List.of("query", "--endpoint", clickhouse.endpoint(), "--format", "csv", SQL));
        if (extraOptions.isEmpty()) {
            System.out.println("logexaminer runs from " + (Files.exists(jar()) ? jar() : "the test class path (no target/logexaminer.jar)"));
        }
        return command;
    }

    private static Path jar() {
        return TestBinaries.projectDir().resolve("target/logexaminer.jar");
    }

    private static String classpath() {
        return Files.exists(jar()) ? jar().toString() : System.getProperty("java.class.path");
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/query-benchmark.err")));
        pb.environment().putAll(clickhouse.environment());
        long start = System.nanoTime();
        Process process = pb.start();
        AtomicLong peak = new AtomicLong();
        AtomicLong cpuCentis = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (process.isAlive()) {
                peak.accumulateAndGet(ToolProcess.memoryKb(process.pid(), "VmHWM"), Math::max);
                cpuCentis.accumulateAndGet(Math.round(ToolProcess.cpuSeconds(process.pid()) * 100), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        boolean done = process.waitFor(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.join();
        assertEquals(true, done, "timed out: " + command);
        assertEquals(0, process.exitValue(), "failed (see target/query-benchmark.err): " + command);
        return new Run(seconds, peak.get(), cpuCentis.get() / 100.0);
    }

    /** The machine's one-minute load average: other work on it slows whichever side needs more CPU. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String times(List<Run> runs) {
        return runs.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.seconds())).toList().toString();
    }
}
