package io.logexaminer.registry;

import io.logexaminer.error.OperationFailedException;

import java.time.Duration;
import java.util.Optional;

/**
 * A registry said no, or could not be reached. {@code status} is the HTTP status (0 when no answer came);
 * {@link #retryable} tells whether the same request may succeed later.
 */
public final class RegistryException extends OperationFailedException {
    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;

    RegistryException(String message, int status, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    static RegistryException permanent(String message) {
        return new RegistryException(message, 0, false, null, null);
    }

    static RegistryException status(String message, int status, Duration retryAfter) {
        return new RegistryException(message, status, retryableStatus(status), retryAfter, null);
    }

    static RegistryException unreachable(String message, Throwable cause) {
        return new RegistryException(message, 0, true, null, cause);
    }

    static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** What the registry asked for in Retry-After, when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
