package io.logexaminer.output;

import java.time.Duration;

/** Durations in messages, as people write them on a command line: {@code 90s} reads {@code 1m30s}. */
public final class Durations {
    private Durations() {
    }

    /** The shortest hours-minutes-seconds text for {@code d}, to the second: {@code 5m}, {@code 1h30s}, {@code 0s}. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            out.append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0) {
            out.append(s % 60).append('s');
        }
        return out.toString();
    }
}
