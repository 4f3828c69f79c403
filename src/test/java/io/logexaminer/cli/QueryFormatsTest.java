package io.logexaminer.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.testing.ClickHouseServer;
import io.logexaminer.testing.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every output format with every type issue #6 names, against a real ClickHouse engine. */
class QueryFormatsTest {
    @RegisterExtension
    static final ClickHouseServer clickhouse = new ClickHouseServer();

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static final String SELECT = "SELECT * FROM types ORDER BY id";
    private static final String COLUMNS = "id n lc dec dt64 u arr m t s f big d";

    @BeforeAll
    static void createTable() throws Exception {
        clickhouse.query("""
                CREATE TABLE types (
                    id UInt8,
                    n Nullable(Int32),
                    lc LowCardinality(Nullable(String)),
                    dec Decimal(12, 3),
                    dt64 DateTime64(3, 'Asia/Tokyo'),
                    u UUID,
                    arr Array(Nullable(Int64)),
                    m Map(String, Array(Float64)),
                    t Tuple(name String, at Nullable(DateTime64(6, 'Europe/Paris'))),
                    s String,
                    f Float64,
                    big UInt64,
                    d Date
                ) ENGINE = MergeTree ORDER BY id""");
        clickhouse.query("""
                INSERT INTO types VALUES
                (1, -7, 'low', -12.5, '2024-03-31 09:30:00.123', '61f0c404-5cb3-11e7-907b-a6006ad3dba0',
                 [1, NULL, 9223372036854775807], {'a,b': [0.1, 1e21], 'q"': []}, ('x', '2024-03-31 03:30:00.5'),
                 'tab\\there "q" ,\\nnew\\\\line é', 0.1, 18446744073709551615, '2024-02-29'),
                (2, NULL, NULL, 0, '1970-01-01 09:00:00', '00000000-0000-0000-0000-000000000000',
                 [], {}, ('', NULL), '', nan, 0, '1970-01-01')""");
    }

    private static CliRun query(String... args) {
        List<String> all = new ArrayList<>(List.of("query", "--endpoint", clickhouse.endpoint()));
        all.addAll(Arrays.asList(args));
        CliRun run = CliRun.run(clickhouse.environment(), "", all.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    @Test
    void tsvIsClickHousesTabSeparatedWithNames() {
        String expected = String.join("\t", COLUMNS.split(" ")) + "\n"
                + "1\t-7\tlow\t-12.500\t2024-03-31 09:30:00.123\t61f0c404-5cb3-11e7-907b-a6006ad3dba0\t[1,NULL,9223372036854775807]\t"
                + "{'a,b':[0.1,1e21],'q\"':[]}\t('x','2024-03-31 03:30:00.500000')\ttab\\there \"q\" ,\\nnew\\\\line é\t0.1\t"
                + "18446744073709551615\t2024-02-29\n"
                + "2\t\\N\t\\N\t0.000\t1970-01-01 09:00:00.000\t00000000-0000-0000-0000-000000000000\t[]\t{}\t('',NULL)\t\tnan\t0\t"
                + "1970-01-01\n";
        assertEquals(expected, query("--format", "tsv", SELECT).out());
        // tsv is also what a pipe gets by default
        assertEquals(expected, query(SELECT).out());
    }

    @Test
    void tsvMatchesClickHousesOwnOutputForEveryTypeButDecimalScale() throws Exception {
        String columns = "id, n, lc, dt64, u, arr, m, t, s, f, big, d";
        String sql = "SELECT " + columns + " FROM types ORDER BY id";
        assertEquals(clickhouse.query(sql + " FORMAT TabSeparatedWithNames"), query("--format", "tsv", sql).out());
    }

    @Test
    void floatsPrintInTheirShortestFormAsClickHouseDoes() throws Exception {
        String sql = "SELECT arrayJoin([0, -0., 1, 0.1, 1.5, 1e-7, 1e-6, 2.5e-5, 123456789012345678, 1.5e20, 1e21, 1.25e21, "
                + "1.7976931348623157e308, 5e-324, -1e100, 0.1 + 0.2, nan, inf, -inf]) AS f, toFloat32(f) AS f32";
        String ours = query("--format", "jsonl", sql).out();
        String theirs = clickhouse.query(sql + " FORMAT JSONEachRow");
        // Java and ClickHouse both print the shortest digits that read back; they differ only on the smallest subnormal
        assertEquals(theirs.replace("5e-324", "4.9e-324"), ours);
        List<String> table = query("--format", "vertical", sql + " LIMIT 1 OFFSET 10").out().lines().toList();
        assertEquals(List.of("Row 1:", "──────", "f:   1e21", "f32: 1e21"), table);
    }

    @Test
    void csvFollowsRfc4180() {
        String out = query("--format", "csv", SELECT).out();
        String expected = "\"" + String.join("\",\"", COLUMNS.split(" ")) + "\"\r\n"
                + "1,-7,\"low\",-12.500,\"2024-03-31 09:30:00.123\",\"61f0c404-5cb3-11e7-907b-a6006ad3dba0\","
                + "\"[1,NULL,9223372036854775807]\",\"{'a,b':[0.1,1e21],'q\"\"':[]}\",\"('x','2024-03-31 03:30:00.500000')\","
                + "\"tab\there \"\"q\"\" ,\nnew\\line é\",0.1,18446744073709551615,\"2024-02-29\"\r\n"
                + "2,,,0.000,\"1970-01-01 09:00:00.000\",\"00000000-0000-0000-0000-000000000000\",\"[]\",\"{}\",\"('',NULL)\","
                + "\"\",nan,0,\"1970-01-01\"\r\n";
        assertEquals(expected, out);

        // read back as RFC 4180 says: quoted fields keep commas, quotes and line breaks; NULL is an empty field
        List<List<String>> records = Rfc4180.parse(out);
        assertEquals(3, records.size());
        assertEquals(List.of(COLUMNS.split(" ")), records.get(0));
        assertEquals("tab\there \"q\" ,\nnew\\line é", records.get(1).get(9));
        assertEquals("{'a,b':[0.1,1e21],'q\"':[]}", records.get(1).get(7));
        assertSame(Rfc4180.NULL, records.get(2).get(1));
        assertEquals("", records.get(2).get(9));
        records.forEach(record -> assertEquals(13, record.size()));
    }

    /** A reader of RFC 4180 text, for checking what the tool writes; an empty unquoted field reads as {@link #NULL}. */
    private static final class Rfc4180 {
        static final String NULL = new String("NULL");

        static List<List<String>> parse(String text) {
            List<List<String>> records = new ArrayList<>();
            List<String> record = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                StringBuilder field = new StringBuilder();
                boolean quoted = text.charAt(i) == '"';
                if (quoted) {
                    i++;
                    while (!(text.charAt(i) == '"' && (i + 1 == text.length() || text.charAt(i + 1) != '"'))) {
                        field.append(text.charAt(i));
                        i += text.charAt(i) == '"' ? 2 : 1;
                    }
                    i++;
                } else {
                    while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\r') {
                        field.append(text.charAt(i++));
                    }
                }
                record.add(!quoted && field.isEmpty() ? NULL : field.toString());
                if (text.startsWith("\r\n", i)) {
                    records.add(record);
                    record = new ArrayList<>();
                    i += 2;
                } else {
                    assertEquals(',', text.charAt(i), "a field ends with a comma or CRLF");
                    i++;
                }
            }
            return records;
        }
    }

    @Test
    void jsonlIsOneObjectPerRowWithJsonTypes() throws Exception {
        String out = query("--format", "jsonl", SELECT).out();
        String first = "{\"id\":1,\"n\":-7,\"lc\":\"low\",\"dec\":-12.500,\"dt64\":\"2024-03-31T09:30:00.123+09:00\","
                + "\"u\":\"61f0c404-5cb3-11e7-907b-a6006ad3dba0\",\"arr\":[1,null,9223372036854775807],"
                + "\"m\":{\"a,b\":[0.1,1e21],\"q\\\"\":[]},\"t\":{\"name\":\"x\",\"at\":\"2024-03-31T03:30:00.500000+02:00\"},"
                + "\"s\":\"tab\\there \\\"q\\\" ,\\nnew\\\\line é\",\"f\":0.1,\"big\":18446744073709551615,\"d\":\"2024-02-29\"}";
        String second = "{\"id\":2,\"n\":null,\"lc\":null,\"dec\":0.000,\"dt64\":\"1970-01-01T09:00:00.000+09:00\","
                + "\"u\":\"00000000-0000-0000-0000-000000000000\",\"arr\":[],\"m\":{},\"t\":{\"name\":\"\",\"at\":null},"
                + "\"s\":\"\",\"f\":null,\"big\":0,\"d\":\"1970-01-01\"}";
        assertEquals(first + "\n" + second + "\n", out);

        JsonNode row = JSON.readTree(out.lines().findFirst().orElseThrow());
        assertEquals(new BigInteger("18446744073709551615"), row.get("big").bigIntegerValue());
        assertEquals(0, new BigDecimal("-12.5").compareTo(row.get("dec").decimalValue()));
        assertTrue(row.get("arr").get(1).isNull());
        assertEquals("tab\there \"q\" ,\nnew\\line é", row.get("s").asText());
        assertTrue(row.get("m").get("a,b").get(1).isNumber());
    }

    @Test
    void jsonIsOneDocumentWithMetaDataAndRowCount() throws Exception {
        JsonNode document = JSON.readTree(query("--format", "json", SELECT).out());
        assertEquals(List.of(COLUMNS.split(" ")), names(document.get("meta")));
        assertEquals("Tuple(name String, at Nullable(DateTime64(6, 'Europe/Paris')))", document.get("meta").get(8).get("type").asText());
        assertEquals("LowCardinality(Nullable(String))", document.get("meta").get(2).get("type").asText());
        assertEquals(2, document.get("rows").asInt());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : query("--format", "jsonl", SELECT).out().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(lines, List.of(document.get("data").get(0), document.get("data").get(1)));
        // -o json picks it by default
        assertEquals(document, JSON.readTree(query("-o", "json", SELECT).out()));
    }

    @Test
    void moreTypesDecodeAsClickHouseWritesThem() throws Exception {
        String sql = "SELECT CAST('b', 'Enum8(\\'a\\' = 1, \\'b\\' = 2)') AS e, toIPv4('10.0.0.1') AS v4, toIPv6('2001:db8::1') AS v6, "
                + "toIPv6('::ffff:1.2.3.4') AS v6m, toInt128('-170141183460469231731687303715884105728') AS i128, "
                + "toFixedString('ab', 3) AS fs, [(1, 'x')]::Array(Tuple(n UInt8, s String)) AS at, "
                + "map(1, NULL, 2, 'two')::Map(UInt8, Nullable(String)) AS m, toDate32('1900-01-01') AS d32, "
                + "toDateTime('2024-01-01 12:00:00') AS dt, toTime(3725) AS t, toTime64(3725.5, 3) AS t64";
        assertEquals("{\"e\":\"b\",\"v4\":\"10.0.0.1\",\"v6\":\"2001:db8::1\",\"v6m\":\"::ffff:1.2.3.4\","
                + "\"i128\":-170141183460469231731687303715884105728,\"fs\":\"ab\\u0000\",\"at\":[{\"n\":1,\"s\":\"x\"}],"
                + "\"m\":{\"1\":null,\"2\":\"two\"},\"d32\":\"1900-01-01\",\"dt\":\"2024-01-01T12:00:00Z\","
                + "\"t\":\"01:02:05\",\"t64\":\"01:02:05.500\"}\n", query("--format", "jsonl", sql).out());
        // the table shows each value as ClickHouse's own text format does
        List<String> theirs = List.of(clickhouse.query(sql + " FORMAT TabSeparated").strip().split("\t"));
        assertEquals(theirs, cells(query("--format", "table", sql).out().lines().toList().get(1)));
    }

    @Test
    void anEmptyResultIsStillAWellFormedDocument() throws Exception {
        JsonNode document = JSON.readTree(query("--format", "json", "SELECT id FROM types WHERE id > 9").out());
        assertEquals(0, document.get("rows").asInt());
        assertEquals(0, document.get("data").size());
        assertEquals("id\n", query("--format", "tsv", "SELECT id FROM types WHERE id > 9").out());
    }

    private static List<String> names(JsonNode meta) {
        List<String> names = new ArrayList<>();
        meta.forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    @Test
    void tableAlignsNumbersRightAndShowsNullAndEscapes() {
        String out = query("--format", "table", SELECT).out();
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out);
        assertTrue(lines.get(0).startsWith("┌─id─┬────n─┬─lc───┬─────dec─┬─dt64"), lines.get(0));
        assertTrue(lines.get(3).startsWith("└────┴──────┴──────┴─────────┴──"), lines.get(3));
        assertEquals(List.of("1", "-7", "low", "-12.500", "2024-03-31 09:30:00.123", "61f0c404-5cb3-11e7-907b-a6006ad3dba0",
                "[1,NULL,9223372036854775807]", "{'a,b':[0.1,1e21],'q\"':[]}", "('x','2024-03-31 03:30:00.500000')",
                "tab\\there \"q\" ,\\nnew\\line é", "0.1", "18446744073709551615", "2024-02-29"), cells(lines.get(1)));
        assertEquals(List.of("2", "NULL", "NULL", "0.000", "1970-01-01 09:00:00.000", "00000000-0000-0000-0000-000000000000",
                "[]", "{}", "('',NULL)", "", "nan", "0", "1970-01-01"), cells(lines.get(2)));
        assertTrue(lines.get(1).startsWith("│  1 │   -7 │ low  │ -12.500 │"), lines.get(1));
        // every line is as wide as the header
        lines.forEach(line -> assertEquals(lines.get(0).codePointCount(0, lines.get(0).length()),
                line.codePointCount(0, line.length()), line));
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.length() - 1);
        return Stream.of(inner.split("│", -1)).map(String::strip).toList();
    }

    @Test
    void verticalIsABlockPerRow() {
        String expected = """
                Row 1:
                ──────
                id:   1
                n:    -7
                lc:   low
                dec:  -12.500
                dt64: 2024-03-31 09:30:00.123
                u:    61f0c404-5cb3-11e7-907b-a6006ad3dba0
                arr:  [1,NULL,9223372036854775807]
                m:    {'a,b':[0.1,1e21],'q"':[]}
                t:    ('x','2024-03-31 03:30:00.500000')
                s:    tab\there "q" ,
                new\\line é
                f:    0.1
                big:  18446744073709551615
                d:    2024-02-29

                Row 2:
                ──────
                id:   2
                n:    NULL
                lc:   NULL
                dec:  0.000
                dt64: 1970-01-01 09:00:00.000
                u:    00000000-0000-0000-0000-000000000000
                arr:  []
                m:    {}
                t:    ('',NULL)
                s:   \s
                f:    nan
                big:  0
                d:    1970-01-01
                """;
        assertEquals(expected, query("--format", "vertical", SELECT).out());
    }

    @Test
    void theTableSizesItsColumnsOnTheFirstRowsThenStreams() {
        int rows = 1000 + 5;
        String sql = "SELECT number + 1000 AS n, if(number < 1000, 'short', repeat('x', 200)) AS s FROM numbers(" + rows + ")";
        List<String> lines = query("--format", "table", sql).out().lines().toList();
        assertEquals(rows + 2, lines.size());
        assertEquals("│ 1000 │ short │", lines.get(1));
        // a wider value after the first rows is cut to the width they set, and marked as cut
        assertEquals("│ 2004 │ xxxx… │", lines.get(rows));
    }
}
