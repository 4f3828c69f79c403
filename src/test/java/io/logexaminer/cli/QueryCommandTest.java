package io.logexaminer.cli;

import io.logexaminer.plan.Cancellation;
import io.logexaminer.testing.ClickHouseServer;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input, parameters, settings, several statements and errors of {@code query}, against a real ClickHouse engine. */
class QueryCommandTest {
    @RegisterExtension
    static final ClickHouseServer clickhouse = new ClickHouseServer();

    private static CliRun query(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("query", "--endpoint", clickhouse.endpoint()));
        all.addAll(Arrays.asList(args));
        CliRun run = CliRun.run(clickhouse.environment(), stdin, all.toArray(String[]::new));
        assertFalse(run.all().contains(ClickHouseServer.PASSWORD), "the password was printed");
        assertFalse(run.err().contains("\tat "), run::toString);
        return run;
    }

    private static CliRun ok(String stdin, String... args) {
        CliRun run = query(stdin, args);
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    @Test
    void parametersAreBoundServerSide() {
        // values are in ClickHouse's escaped form, as clickhouse-client takes them: backslash-t is a tab
        CliRun run = ok("", "--param", "n=41", "--param", "name=it's; \"quoted\"\\ttab", "--param", "day=2024-02-29",
                "SELECT {n:UInt32} + 1 AS a, {name:String} AS s, {day:Date} + 1 AS d");
        assertEquals("a\ts\td\n42\tit\\'s; \"quoted\"\\ttab\t2024-03-01\n", run.out());
    }

    @Test
    void aMissingParameterIsClickHousesError() {
        CliRun run = query("", "SELECT {missing:UInt8} AS x");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().matches("(?s)error: Code: 456\\. .*missing.*\\n"), run.err());
    }

    @Test
    void statementsRunInOrderAndSemicolonsInStringsAndCommentsDoNotSplit() {
        String script = """
                CREATE TABLE multi (a UInt8, s String) ENGINE = MergeTree ORDER BY a; -- a comment; with a semicolon
                INSERT INTO multi VALUES (1, 'x;y'), (2, '/* not; a comment */');
                /* a block; comment */ SELECT a, s FROM multi ORDER BY a;
                SELECT count() AS c FROM multi
                """;
        CliRun run = ok("", script);
        assertEquals("a\ts\n1\tx;y\n2\t/* not; a comment */\nc\n2\n", run.out());
        List<String> summaries = run.err().lines().toList();
        assertEquals(4, summaries.size(), run.err());
        assertTrue(summaries.get(0).startsWith("statement 1: ok in "), summaries.get(0));
        assertTrue(summaries.get(1).matches("statement 2: ok in [0-9.]+s; .*server wrote 2 rows"), summaries.get(1));
        assertTrue(summaries.get(2).matches("statement 3: 2 rows in [0-9.]+s; server read 2 rows, \\d+ B"), summaries.get(2));
        assertTrue(summaries.get(3).startsWith("statement 4: 1 row in "), summaries.get(3));
    }

    @Test
    void aFailingStatementSaysWhichItWasAndStopsTheRun() throws Exception {
        String script = "CREATE TABLE stops (a UInt8) ENGINE = Memory;\nSELECT * FROM no_such_table;\nDROP TABLE stops";
        CliRun run = query("", script);
        assertEquals(1, run.exitCode(), run::toString);
        List<String> errors = run.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), run.err());
        assertTrue(errors.get(0).startsWith("error: statement 2 of 3 (line 2): Code: 60. "), errors.get(0));
        assertTrue(errors.get(0).contains("no_such_table"), errors.get(0));
        // the third statement did not run: the table is still there
        assertEquals("1\n", clickhouse.query("SELECT count() FROM system.tables WHERE name = 'stops'"));
    }

    @Test
    void aSyntaxErrorIsOneLineWithItsCode() {
        CliRun run = query("", "SELEC 1");
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("error: Code: 62. Syntax error: failed at position 7"), run.err());
        assertTrue(run.err().strip().endsWith("(SYNTAX_ERROR)"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "tsv", "jsonl"})
    void anErrorWhileRowsStreamShowsTheRowsBeforeItAndTheServersMessage(String format) {
        CliRun run = query("", "--format", format, "SELECT number AS n, throwIf(number = 1500000, 'boom') AS x "
                + "FROM numbers(2000000) SETTINGS max_threads = 1, max_block_size = 10000");
        assertEquals(1, run.exitCode(), run::toString);
        Matcher error = Pattern.compile("error: the result broke off after (\\d+) rows: Code: 395\\. boom: .*\\(FUNCTION_THROW_IF_VALUE_IS_NON_ZERO\\)\n")
                .matcher(run.err());
        assertTrue(error.matches(), run.err());
        long rows = Long.parseLong(error.group(1));
        assertTrue(rows > 0 && rows <= 1500000, run.err());
        // every row before the error, whole, and nothing of the exception's text
        List<String> lines = run.out().lines().toList();
        boolean header = !format.equals("jsonl");
        assertEquals(rows + (header ? 1 : 0), lines.size());
        String last = (rows - 1) + (format.equals("csv") ? ",0" : "\t0");
        assertEquals(format.equals("jsonl") ? "{\"n\":" + (rows - 1) + ",\"x\":0}" : last, lines.getLast());
    }

    @Test
    void ctrlCStopsAStreamingQuery() throws Exception {
        Cancellation cancellation = new Cancellation();
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.run(clickhouse.environment(),
                new ByteArrayInputStream(new byte[0]), cancellation, "query", "--endpoint", clickhouse.endpoint(),
                "SELECT number, sleepEachRow(0.01) FROM numbers(100000) SETTINGS max_block_size = 10"));
        Thread.sleep(1500);
        cancellation.cancel();
        CliRun stopped = run.get(20, TimeUnit.SECONDS);
        assertEquals(130, stopped.exitCode(), stopped::toString);
        assertTrue(stopped.err().contains("interrupted"), stopped.err());
    }

    @Test
    void sqlComesFromStdinWhenNotGiven() {
        assertEquals("x\n7\n", ok("SELECT 7 AS x;\n").out());
    }

    @Test
    void sqlComesFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("q.sql");
        Files.writeString(file, "SELECT 1 AS one;\nSELECT 'two' AS two;\n");
        assertEquals("one\n1\ntwo\ntwo\n", ok("", "--file", file.toString()).out());
    }

    @Test
    void badInputIsAUsageError(@TempDir Path dir) {
        assertEquals(2, query("", "--file", dir.resolve("none.sql").toString()).exitCode());
        assertEquals(2, query("", "--file", dir.resolve("none.sql").toString(), "SELECT 1").exitCode());
        assertEquals(2, query("  -- only a comment\n").exitCode());
        assertEquals(2, query("", "--format", "xml", "SELECT 1").exitCode());
        assertEquals(2, query("", "--param", "1bad=2", "SELECT 1").exitCode());
        assertEquals(2, query("", "--param", "noequals", "SELECT 1").exitCode());
        assertEquals(2, query("", "-o", "json", "--format", "csv", "SELECT 1").exitCode());
        CliRun endpoint = CliRun.run(clickhouse.environment(), "", "query", "--endpoint", "ftp://host:1", "SELECT 1");
        assertEquals(2, endpoint.exitCode(), endpoint::toString);
        assertTrue(endpoint.err().contains("http(s)://HOST:PORT"), endpoint.err());
    }

    @Test
    void settingsApplyToEveryStatementAndAnUnknownOneIsAnError() {
        assertEquals("m\n1\nm\n1\n", ok("", "--setting", "max_threads=1",
                "SELECT getSetting('max_threads') AS m; SELECT getSetting('max_threads') AS m").out());
        CliRun unknown = query("", "--setting", "no_such_setting=1", "SELECT 1");
        assertEquals(1, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().startsWith("error: Code: 115. "), unknown.err());
    }

    @Test
    void readonlyRefusesChanges() throws Exception {
        assertEquals("x\n1\n", ok("", "--readonly", "SELECT 1 AS x").out());
        CliRun run = query("", "--readonly", "CREATE TABLE refused (a UInt8) ENGINE = Memory");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: Code: 164. "), run.err());
        assertEquals("0\n", clickhouse.query("SELECT count() FROM system.tables WHERE name = 'refused'"));
    }

    @Test
    void databaseIsTheDefaultForEveryStatement() throws Exception {
        clickhouse.query("CREATE DATABASE IF NOT EXISTS other");
        clickhouse.query("CREATE TABLE IF NOT EXISTS other.here (a UInt8) ENGINE = Memory");
        assertEquals("db\tn\nother\t0\n", ok("", "--database", "other",
                "SELECT currentDatabase() AS db, count() AS n FROM here").out());
    }

    @Test
    void aWrongPasswordIsRefusedWithoutPrintingIt() {
        CliRun run = CliRun.run(Map.of("CLICKHOUSE_PASSWORD", "not-the-password"), "", "query", "--endpoint",
                clickhouse.endpoint(), "SELECT 1");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: Code: 516. "), run.err());
        assertFalse(run.all().contains("not-the-password"), run::toString);
    }

    @Test
    void anUnreachableEndpointSaysSo() {
        String endpoint = "http://127.0.0.1:" + ServerProcess.freePort();
        CliRun run = CliRun.run(clickhouse.environment(), "", "query", "--endpoint", endpoint, "SELECT 1");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: cannot reach ClickHouse at " + endpoint), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }
}
