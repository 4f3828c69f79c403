package io.logexaminer.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A login for one registry that expires, such as ECR's: fetched once, kept until it truly expires, renewed only
 * then or when the registry refuses it. An expiry already past when the login arrives (an emulator's fixed date,
 * or a skewed clock) is read as unknown and replaced by {@link #ASSUMED_LIFETIME}, so it never causes a renewal loop.
 */
public final class ExpiringLogin implements CredentialSource {
    /** ECR's documented token lifetime. */
    public static final Duration ASSUMED_LIFETIME = Duration.ofHours(12);
    private static final Duration MARGIN = Duration.ofMinutes(5);

    /** A login as its issuer gives it. */
    public record Issued(Credentials credentials, Instant expiresAt) {
    }

    private final String host;
    private final Supplier<Issued> issuer;
    private final Clock clock;
    private Credentials current;
    private Instant renewAt;
    private int issued;

    public ExpiringLogin(String host, Supplier<Issued> issuer, Clock clock) {
        this.host = host;
        this.issuer = issuer;
        this.clock = clock;
    }

    @Override
    public synchronized Optional<Credentials> lookup(String host) {
        if (!this.host.equals(host)) {
            return Optional.empty();
        }
        if (current == null || !clock.instant().isBefore(renewAt)) {
            issue();
        }
        return Optional.of(current);
    }

    @Override
    public synchronized boolean renew(String host, Credentials refused) {
        if (!this.host.equals(host)) {
            return false;
        }
        if (!refused.equals(current)) {
            return true;
        }
        Credentials before = current;
        issue();
        return !current.equals(before);
    }

    /** How many logins were fetched so far. */
    public synchronized int issuedCount() {
        return issued;
    }

    private void issue() {
        Issued login = issuer.get();
        Instant now = clock.instant();
        Instant expires = login.expiresAt().isAfter(now) ? login.expiresAt() : now.plus(ASSUMED_LIFETIME);
        Instant early = expires.minus(MARGIN);
        renewAt = early.isAfter(now) ? early : expires;
        current = login.credentials();
        issued++;
    }
}
