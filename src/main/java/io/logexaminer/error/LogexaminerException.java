package io.logexaminer.error;

/**
 * A failure the user can act on: its message is printed as one line, without a stack trace.
 * Subclasses say which kind of failure it is; {@code cli.ExitCodes} turns the kind into the exit code.
 */
public abstract class LogexaminerException extends RuntimeException {
    protected LogexaminerException(String message) {
        super(message);
    }

    protected LogexaminerException(String message, Throwable cause) {
        super(message, cause);
    }
}
