package io.logexaminer.output;

/** Whoever read stdout went away (a pipe into {@code head}, say): there is no point producing more. */
public final class StdoutClosedException extends RuntimeException {
    public StdoutClosedException() {
        super("stdout was closed");
    }
}
