package io.logexaminer.cli;

import io.logexaminer.testing.ClickHouseServer;
import io.logexaminer.testing.ToolProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code query} as a process, the way a shell runs it: ten million rows stream through a JVM with a small heap while
 * its resident memory is sampled, and a reader that goes away stops the query.
 */
class QueryStreamingTest {
    @RegisterExtension
    static final ClickHouseServer clickhouse = new ClickHouseServer();

    private static final long ROWS = 10_000_000;
    private static final String HEAP = "-Xmx64m";

    private static Process start(String sql, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("query", "--endpoint", clickhouse.endpoint()));
        args.addAll(List.of(options));
        args.add(sql);
        List<String> command = ToolProcess.command(List.of(HEAP, "-XX:+UseSerialGC"), System.getProperty("java.class.path"), args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(Files.createTempFile("query-", ".err").toFile());
        pb.environment().putAll(clickhouse.environment());
        return pb.start();
    }

    @Test
    void tenMillionRowsStreamInFlatMemory() throws Exception {
        Process process = start("SELECT number, toString(number * 7) AS s, (number % 3 = 0)::Bool AS b FROM numbers(" + ROWS + ")",
                "--format", "csv");
        List<Long> samples = new CopyOnWriteArrayList<>();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (process.isAlive()) {
                long kb = ToolProcess.memoryKb(process.pid(), "VmRSS");
                if (kb > 0) {
                    samples.add(kb);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long rows = 0;
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("\"number\",\"s\",\"b\"", out.readLine());
            String line;
            while ((line = out.readLine()) != null) {
                if (rows % 1_000_003 == 0) {
                    assertEquals(rows + ",\"" + rows * 7 + "\"," + (rows % 3 == 0), line);
                }
                last = line;
                rows++;
            }
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        sampler.join();
        assertEquals(0, process.exitValue());
        assertEquals(ROWS, rows);
        assertEquals((ROWS - 1) + ",\"" + (ROWS - 1) * 7 + "\"," + ((ROWS - 1) % 3 == 0), last);

        assertTrue(samples.size() >= 10, "too few samples: " + samples);
        long peak = samples.stream().mapToLong(Long::longValue).max().orElseThrow();
        List<Long> firstHalf = samples.subList(0, samples.size() / 2);
        List<Long> secondHalf = samples.subList(samples.size() / 2, samples.size());
        long firstPeak = firstHalf.stream().mapToLong(Long::longValue).max().orElseThrow();
        long secondPeak = secondHalf.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("query of %d rows: peak RSS %d MB, first half %d MB, second half %d MB, %d samples%n",
                ROWS, peak / 1024, firstPeak / 1024, secondPeak / 1024, samples.size());
        assertTrue(peak < 256 * 1024, "peak RSS " + peak / 1024 + " MB");
        // flat: what the second half of the stream needs, the first half already had
        assertTrue(secondPeak <= firstPeak + 16 * 1024, "RSS grew from " + firstPeak / 1024 + " MB to " + secondPeak / 1024 + " MB");
    }

    @Test
    void aReaderThatGoesAwayStopsTheQuery() throws Exception {
        Process process = start("SELECT number FROM numbers(1000000000)");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 1000; i++) {
                out.readLine();
            }
        }
        long closed = System.nanoTime();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the query went on after stdout closed");
        System.out.printf("query stopped %d ms after stdout closed%n", (System.nanoTime() - closed) / 1_000_000);
        assertEquals(0, process.exitValue());
    }
}
