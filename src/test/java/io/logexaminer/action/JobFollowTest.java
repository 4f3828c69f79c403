package io.logexaminer.action;

import io.logexaminer.k8s.DriverPod;
import io.logexaminer.k8s.SparkApp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The follow's decisions, observation by observation, with the times given rather than read from a clock. */
class JobFollowTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private final List<String> events = new ArrayList<>();
    private final JobFollow follow = new JobFollow(T0, Duration.ofMinutes(5), Duration.ofSeconds(30), new JobFollow.Events() {
        @Override
        public void state(Instant at, String state, String detail) {
            events.add(at + " " + state + " " + detail);
        }

        @Override
        public void warning(String message) {
            events.add("warning " + message);
        }
    });

    private static SparkApp app(String state, int submissions, String policy, int retries) {
        return new SparkApp("spark", "pi-abcde", "1", state, state.contains("FAIL") ? "boom" : "", submissions, 1, "pi-abcde-driver",
                "", new SparkApp.RestartPolicy(policy, OptionalInt.of(retries), OptionalInt.of(retries)), Optional.empty(),
                Optional.empty());
    }

    private static DriverPod unschedulable() {
        return new DriverPod("pi-abcde-driver", "u1", "Pending", false, List.of(), Optional.of("0/3 nodes are available"));
    }

    @Test
    void aSubmissionFailureIsFinalOnlyOnceTheOperatorWouldNotRetry() {
        assertTrue(follow.observe(Optional.of(app("SUBMISSION_FAILED", 2, "OnFailure", 2)), Optional.empty(), T0).isEmpty());
        Optional<JobFollow.Verdict> exhausted = follow.observe(Optional.of(app("SUBMISSION_FAILED", 3, "OnFailure", 2)),
                Optional.empty(), T0);
        assertEquals(JobFollow.Outcome.FAILED, exhausted.orElseThrow().outcome());
        assertTrue(follow.observe(Optional.of(app("SUBMISSION_FAILED", 9, "Always", 0)), Optional.empty(), T0).isEmpty());
        assertEquals(JobFollow.Outcome.FAILED,
                follow.observe(Optional.of(app("SUBMISSION_FAILED", 1, "Never", 0)), Optional.empty(), T0).orElseThrow().outcome());
    }

    @Test
    void anUnschedulableDriverIsStuckOnlyAfterItsGrace() {
        SparkApp submitted = app("SUBMITTED", 1, "Never", 0);
        assertTrue(follow.observe(Optional.of(submitted), Optional.of(unschedulable()), T0).isEmpty());
        assertTrue(follow.observe(Optional.of(submitted), Optional.of(unschedulable()), T0.plusSeconds(299)).isEmpty());
        JobFollow.Verdict verdict = follow.observe(Optional.of(submitted), Optional.of(unschedulable()), T0.plusSeconds(300)).orElseThrow();
        assertEquals(JobFollow.Outcome.DRIVER_STUCK, verdict.outcome());
        assertEquals("driver pod pi-abcde-driver could not be scheduled for 5m: 0/3 nodes are available", verdict.message());
        assertEquals(List.of(T0 + " SUBMITTED driver pod pi-abcde-driver",
                T0 + " UNSCHEDULABLE driver pod pi-abcde-driver: 0/3 nodes are available (waiting up to 5m for a node)"), events);
    }

    @Test
    void aPodThatGetsANodeStartsTheGraceAfresh() {
        SparkApp submitted = app("SUBMITTED", 1, "Never", 0);
        DriverPod scheduled = new DriverPod("pi-abcde-driver", "u1", "Pending", false, List.of(), Optional.empty());
        follow.observe(Optional.of(submitted), Optional.of(unschedulable()), T0);
        follow.observe(Optional.of(submitted), Optional.of(scheduled), T0.plusSeconds(200));
        assertTrue(follow.observe(Optional.of(submitted), Optional.of(unschedulable()), T0.plusSeconds(400)).isEmpty());
    }

    @Test
    void anApplicationTheOperatorIgnoresEarnsOneWarning() {
        SparkApp fresh = app("", 0, "Never", 0);
        follow.observe(Optional.of(fresh), Optional.empty(), T0.plusSeconds(29));
        follow.observe(Optional.of(fresh), Optional.empty(), T0.plusSeconds(31));
        follow.observe(Optional.of(fresh), Optional.empty(), T0.plusSeconds(60));
        assertEquals(List.of("warning the Spark Operator has not picked up spark/pi-abcde after 30s: is it running and watching "
                + "namespace spark?"), events);
    }

    @Test
    void aRepeatedObservationPrintsNothingNew() {
        SparkApp running = app("RUNNING", 1, "Never", 0);
        follow.observe(Optional.of(running), Optional.empty(), T0);
        follow.observe(Optional.of(running), Optional.empty(), T0.plusSeconds(5));
        assertEquals(1, events.size());
        assertFalse(events.get(0).contains("attempt"), "a single attempt without retries is not worth a word");
    }
}
