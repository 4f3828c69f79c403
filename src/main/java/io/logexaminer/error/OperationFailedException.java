package io.logexaminer.error;

/** The operation was attempted and failed (a call refused, a timeout, an unreachable service). */
public class OperationFailedException extends LogexaminerException {
    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
