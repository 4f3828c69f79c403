package io.logexaminer.result;

import java.util.List;

/** Where the rows of one result go as they arrive, without being held: a renderer, a counter. */
public interface RowSink {

    /** The result's columns, before its first row. */
    void start(List<Column> columns);

    /** One row: a value per column, of the Java types {@link ColumnType} lists. The array may be reused afterwards. */
    void row(Object[] values);

    /** After the last row. */
    void end();

    /** The result broke off: show the rows received so far, without ending it as if it were whole. */
    void flush();
}
