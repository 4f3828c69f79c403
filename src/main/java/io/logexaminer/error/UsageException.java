package io.logexaminer.error;

/** Bad usage: a wrong flag combination or argument. Nothing was changed anywhere. */
public final class UsageException extends LogexaminerException {
    public UsageException(String message) {
        super(message);
    }
}
