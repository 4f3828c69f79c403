package io.logexaminer.aws;

import java.time.Duration;

/**
 * How long each kind of resource may take to become ready or to go away, and how often to look. The defaults are
 * generous against AWS's usual times (a cluster takes about 10 minutes, a database 5 to 15).
 */
public record Waits(Duration poll, Duration cluster, Duration nodeGroup, Duration addon, Duration database,
                    Duration natGateway, Duration other) {

    public static Waits standard() {
        return new Waits(Duration.ofSeconds(10), Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(20),
                Duration.ofMinutes(60), Duration.ofMinutes(15), Duration.ofMinutes(10));
    }

    /** The same timeout for everything, polling every {@code poll}. */
    public static Waits uniform(Duration poll, Duration timeout) {
        return new Waits(poll, timeout, timeout, timeout, timeout, timeout, timeout);
    }
}
