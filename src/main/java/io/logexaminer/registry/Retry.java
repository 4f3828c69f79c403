package io.logexaminer.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries of one registry operation: on 408, 429, 5xx and lost connections, up to {@code attempts} tries, waiting
 * between half and all of an exponentially growing bound (the jitter spreads out parallel retries), or what
 * Retry-After says, capped.
 */
public record Retry(int attempts, Duration base, Duration cap, Duration longestRetryAfter) {

    public static Retry standard() {
        return new Retry(6, Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** One try of the operation. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws InterruptedException;
    }

    public <T> T run(Attempt<T> attempt) throws InterruptedException {
        for (int tried = 1; ; tried++) {
            try {
                return attempt.run();
            } catch (RegistryException e) {
                if (!e.retryable() || tried >= attempts) {
                    throw e;
                }
                Thread.sleep(delay(tried, e).toMillis());
            }
        }
    }

    Duration delay(int tried, RegistryException e) {
        if (e.retryAfter().isPresent()) {
            Duration asked = e.retryAfter().get();
            return asked.compareTo(longestRetryAfter) > 0 ? longestRetryAfter : asked;
        }
        long bound = Math.min(cap.toMillis(), base.toMillis() << Math.min(tried - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }
}
