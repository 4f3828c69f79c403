package io.logexaminer.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {

    @Test
    void readsWhatPeopleType() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), Durations.parse("90s"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), Durations.parse("5m"));
        assertEquals(Optional.of(Duration.ofMinutes(90)), Durations.parse("1h30m"));
        assertEquals(Optional.of(Duration.ZERO), Durations.parse("0"));
        assertEquals(Optional.empty(), Durations.parse(""));
        assertEquals(Optional.empty(), Durations.parse("5"));
        assertEquals(Optional.empty(), Durations.parse("5 minutes"));
        assertEquals(Optional.empty(), Durations.parse("99999999999999999999h"));
    }

    @Test
    void printsTheShortestTextThatReadsBack() {
        for (String text : new String[]{"0s", "45s", "5m", "1m30s", "1h", "2h5s"}) {
            assertEquals(text, Durations.format(Durations.parse(text).orElseThrow()));
        }
    }
}
