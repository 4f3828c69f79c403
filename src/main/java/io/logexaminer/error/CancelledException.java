package io.logexaminer.error;

/** The user interrupted the command (Ctrl-C); what was running was stopped cleanly. */
public final class CancelledException extends LogexaminerException {
    public CancelledException(String message) {
        super(message);
    }
}
