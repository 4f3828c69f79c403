package io.logexaminer.clickhouse;

import com.clickhouse.data.ClickHouseFormat;
import io.logexaminer.result.TextFormat;

import java.util.Map;

/** The ClickHouse output format and settings that make each {@link TextFormat}. */
record ServerFormat(ClickHouseFormat format, Map<String, String> settings) {

    /** Decimals with all the digits of their scale, as the other formats print them. */
    private static final Map.Entry<String, String> DECIMAL_SCALE = Map.entry("output_format_decimal_trailing_zeros", "1");

    static ServerFormat of(TextFormat format) {
        return switch (format) {
            // RFC 4180; a tuple stays one field (ClickHouse 24.3 and later), so every row has the header's columns.
            case CSV -> new ServerFormat(ClickHouseFormat.CSVWithNames, Map.ofEntries(DECIMAL_SCALE,
                    Map.entry("output_format_csv_crlf_end_of_line", "1"),
                    Map.entry("format_csv_null_representation", ""),
                    Map.entry("output_format_csv_serialize_tuple_into_separate_columns", "0")));
            case TSV -> new ServerFormat(ClickHouseFormat.TabSeparatedWithNames, Map.ofEntries(DECIMAL_SCALE));
        };
    }
}
