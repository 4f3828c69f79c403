package io.logexaminer.registry;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small rules of the client: Retry-After, loopback hosts, platform matching, retry delays. */
class RegistryClientTest {

    private static HttpHeaders retryAfter(String value) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(value)), (k, v) -> true);
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertEquals(Duration.ofSeconds(7), RegistryClient.retryAfter(retryAfter("7")));
        String inTenSeconds = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = RegistryClient.retryAfter(retryAfter(inTenSeconds));
        assertTrue(d.toSeconds() >= 8 && d.toSeconds() <= 10, d.toString());
        assertNull(RegistryClient.retryAfter(retryAfter("soon")));
        assertNull(RegistryClient.retryAfter(HttpHeaders.of(Map.of(), (k, v) -> true)));
    }

    @Test
    void retriesWaitWithJitterAndHonourRetryAfterUpToACap() {
        Retry retry = new Retry(6, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));
        RegistryException busy = RegistryException.status("busy", 503, null);
        for (int tried = 1; tried <= 6; tried++) {
            long bound = Math.min(2000, 100L << (tried - 1));
            long ms = retry.delay(tried, busy).toMillis();
            assertTrue(ms >= bound / 2 && ms <= bound, tried + ": " + ms);
        }
        assertEquals(Duration.ofSeconds(3), retry.delay(1, RegistryException.status("slow down", 429, Duration.ofSeconds(3))));
        assertEquals(Duration.ofSeconds(30), retry.delay(1, RegistryException.status("slow down", 429, Duration.ofHours(1))));
        assertFalse(RegistryException.status("no", 404, null).retryable());
        assertTrue(RegistryException.status("timeout", 408, null).retryable());
    }

    @Test
    void loopbackRegistriesAreThoseDockerSpeaksPlainHttpTo() {
        assertTrue(RegistryClient.isLoopback("localhost:5000"));
        assertTrue(RegistryClient.isLoopback("127.0.0.1:5000"));
        assertTrue(RegistryClient.isLoopback("127.3.4.5"));
        assertTrue(RegistryClient.isLoopback("[::1]:5000"));
        assertFalse(RegistryClient.isLoopback("registry.example.com:5000"));
        assertFalse(RegistryClient.isLoopback("10.0.0.1:5000"));
    }

    @Test
    void aPlatformWithoutVariantMatchesAnyVariant() {
        assertTrue(ImageCopier.platformMatches("linux/arm64/v8", "linux/arm64"));
        assertTrue(ImageCopier.platformMatches("linux/arm/v7", "linux/arm/v7"));
        assertFalse(ImageCopier.platformMatches("linux/arm/v6", "linux/arm/v7"));
        assertFalse(ImageCopier.platformMatches("linux/amd64", "linux/arm64"));
        assertFalse(ImageCopier.platformMatches("windows/amd64", "linux/amd64"));
    }
}
