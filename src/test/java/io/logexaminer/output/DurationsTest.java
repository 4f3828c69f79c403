package io.logexaminer.output;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {

    @Test
    void printsTheShortestText() {
        assertEquals("0s", Durations.format(Duration.ofMillis(400)));
        assertEquals("45s", Durations.format(Duration.ofSeconds(45)));
        assertEquals("5m", Durations.format(Duration.ofMinutes(5)));
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertEquals("2h5s", Durations.format(Duration.ofSeconds(7205)));
    }
}
