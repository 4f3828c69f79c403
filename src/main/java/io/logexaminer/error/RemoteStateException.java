package io.logexaminer.error;

/** The remote side is not in the state it should be: a job that failed, a resource stuck or owned by someone else. */
public class RemoteStateException extends LogexaminerException {
    public RemoteStateException(String message) {
        super(message);
    }

    public RemoteStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
