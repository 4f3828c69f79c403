package io.logexaminer.registry;

import io.logexaminer.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ECR logins are fetched once and renewed only when they truly expire, or when the registry refuses one. */
class ExpiringLoginTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final String HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    @Test
    void anExpiryAlreadyPastWhenIssuedLastsTheAssumedLifetimeInsteadOfLooping() {
        ManualClock clock = new ManualClock(START);
        AtomicInteger issued = new AtomicInteger();
        ExpiringLogin login = new ExpiringLogin(HOST, () -> new ExpiringLogin.Issued(
                new Credentials("AWS", "token-" + issued.incrementAndGet()), Instant.parse("2015-01-01T00:00:00Z")), clock);

        for (int i = 0; i < 1000; i++) {
            assertEquals("token-1", login.lookup(HOST).orElseThrow().secret());
        }
        clock.advance(Duration.ofHours(11));
        assertEquals("token-1", login.lookup(HOST).orElseThrow().secret());
        assertEquals(1, login.issuedCount());

        clock.advance(Duration.ofHours(1));
        assertEquals("token-2", login.lookup(HOST).orElseThrow().secret());
        assertEquals(2, login.issuedCount());
    }

    @Test
    void aRealExpiryIsRenewedShortlyBeforeIt() {
        ManualClock clock = new ManualClock(START);
        AtomicInteger issued = new AtomicInteger();
        ExpiringLogin login = new ExpiringLogin(HOST, () -> new ExpiringLogin.Issued(
                new Credentials("AWS", "token-" + issued.incrementAndGet()), clock.instant().plus(Duration.ofHours(1))), clock);
        assertEquals("token-1", login.lookup(HOST).orElseThrow().secret());
        clock.advance(Duration.ofMinutes(54));
        assertEquals("token-1", login.lookup(HOST).orElseThrow().secret());
        clock.advance(Duration.ofMinutes(1));
        assertEquals("token-2", login.lookup(HOST).orElseThrow().secret());
    }

    @Test
    void aRefusedLoginIsRenewedOnceAndOnlyIfSomethingNewComes() {
        ManualClock clock = new ManualClock(START);
        AtomicInteger issued = new AtomicInteger();
        ExpiringLogin rotating = new ExpiringLogin(HOST, () -> new ExpiringLogin.Issued(
                new Credentials("AWS", "token-" + issued.incrementAndGet()), clock.instant().plus(Duration.ofHours(12))), clock);
        Credentials first = rotating.lookup(HOST).orElseThrow();
        assertTrue(rotating.renew(HOST, first));
        assertEquals("token-2", rotating.lookup(HOST).orElseThrow().secret());
        // A refusal of a login already replaced asks for nothing new.
        assertTrue(rotating.renew(HOST, first));
        assertEquals(2, rotating.issuedCount());

        ExpiringLogin constant = new ExpiringLogin(HOST, () -> new ExpiringLogin.Issued(new Credentials("AWS", "same"),
                clock.instant().plus(Duration.ofHours(12))), clock);
        assertFalse(constant.renew(HOST, constant.lookup(HOST).orElseThrow()));
        assertTrue(constant.lookup("docker.io").isEmpty());
    }
}
