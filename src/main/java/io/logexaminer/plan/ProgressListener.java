package io.logexaminer.plan;

import java.time.Duration;

/** What a run reports while it works: the renderers in the CLI turn these into a live view or log lines. */
public interface ProgressListener {

    enum Outcome { SUCCEEDED, FAILED, SKIPPED, CANCELLED }

    default void started(Resource resource, Action action) {
    }

    /** A step's own news, such as "waiting for ACTIVE (3m12s)". */
    default void message(Resource resource, String message) {
    }

    default void finished(Resource resource, Action action, Outcome outcome, Duration elapsed, String detail) {
    }

    ProgressListener NONE = new ProgressListener() {
    };
}
