package io.logexaminer.clickhouse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlScriptTest {

    private static List<String> texts(String script) {
        return SqlScript.split(script).stream().map(SqlScript.Statement::text).toList();
    }

    @Test
    void splitsOnSemicolonsAndDropsEmptyStatements() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), texts("SELECT 1; ;\n SELECT 2;\n\n"));
        assertEquals(List.of("SELECT 1"), texts("SELECT 1"));
        assertEquals(List.of(), texts(" ;\n;  "));
    }

    @Test
    void semicolonsInsideStringsIdentifiersAndHeredocsDoNotSplit() {
        assertEquals(List.of("SELECT 'a;b', \"c;d\", `e;f`", "SELECT 2"), texts("SELECT 'a;b', \"c;d\", `e;f`; SELECT 2"));
        assertEquals(List.of("SELECT 'it''s;', 'back\\';slash'", "SELECT 3"),
                texts("SELECT 'it''s;', 'back\\';slash'; SELECT 3"));
        assertEquals(List.of("SELECT $$x;y$$, $tag$ ; $$ ; $tag$", "SELECT 4"),
                texts("SELECT $$x;y$$, $tag$ ; $$ ; $tag$; SELECT 4"));
        assertEquals(List.of("SELECT a$b FROM t", "SELECT 5"), texts("SELECT a$b FROM t; SELECT 5"));
    }

    @Test
    void semicolonsInsideCommentsDoNotSplit() {
        assertEquals(List.of("SELECT 1 -- one; two\n+ 1", "SELECT /* a; /* nested; */ b; */ 2", "# hash; comment\nSELECT 3"),
                texts("SELECT 1 -- one; two\n+ 1; SELECT /* a; /* nested; */ b; */ 2;\n# hash; comment\nSELECT 3"));
    }

    @Test
    void statementsOfOnlyCommentsAreLeftOut() {
        assertEquals(List.of("SELECT 1"), texts("-- nothing here;\n/* nor; here */; SELECT 1; -- trailing"));
    }

    @Test
    void numbersAndLinesSayWhereEachStatementStarts() {
        List<SqlScript.Statement> statements = SqlScript.split("CREATE TABLE t (a Int8) ENGINE = Memory;\n\nINSERT INTO t\nVALUES (1);\n  SELECT\n* FROM t");
        assertEquals(List.of(1, 2, 3), statements.stream().map(SqlScript.Statement::number).toList());
        assertEquals(List.of(1, 3, 5), statements.stream().map(SqlScript.Statement::line).toList());
    }

    @Test
    void anUnterminatedStringRunsToTheEndForTheServerToReport() {
        assertEquals(List.of("SELECT 'open; SELECT 2"), texts("SELECT 'open; SELECT 2"));
    }
}
