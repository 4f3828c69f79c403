package io.logexaminer.result;

/** Where a result the server formatted goes, as bytes, as they arrive. */
public interface TextSink {

    void write(byte[] bytes, int offset, int length);

    /** After the last bytes of a result, or when it broke off: everything written so far goes out. */
    void flush();
}
