package io.logexaminer.action;

import io.logexaminer.k8s.DriverPod;
import io.logexaminer.k8s.SparkApp;
import io.logexaminer.output.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from what the operator and the kubelet report, what a followed job is doing and whether it is over.
 * It reads no clock and calls no API: every observation comes with its time.
 */
final class JobFollow {

    enum Outcome { COMPLETED, FAILED, DRIVER_STUCK, DELETED }

    record Verdict(Outcome outcome, String message) {
    }

    /** What the follow reports as it goes. */
    interface Events {
        void state(Instant at, String state, String detail);

        void warning(String message);
    }

    /** Container waiting reasons that do not heal by waiting: the driver will never run. */
    static final Set<String> STUCK_REASONS = Set.of("ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff",
            "InvalidImageName", "CreateContainerConfigError");

    private final Duration unschedulableTimeout;
    private final Duration operatorIdleWarning;
    private final Events events;
    private final Instant started;

    private String lastStatus;
    private Instant unschedulableSince;
    private boolean idleWarned;

    /**
     * @param unschedulableTimeout how long the driver pod may wait for a node (the cluster autoscaler may be adding one)
     * @param operatorIdleWarning  after how long an application the operator has not touched earns a warning
     */
    JobFollow(Instant started, Duration unschedulableTimeout, Duration operatorIdleWarning, Events events) {
        this.started = started;
        this.unschedulableTimeout = unschedulableTimeout;
        this.operatorIdleWarning = operatorIdleWarning;
        this.events = events;
    }

    /** One look at the application and its driver pod; a verdict once the job is over or cannot go on. */
    Optional<Verdict> observe(Optional<SparkApp> observed, Optional<DriverPod> pod, Instant now) {
        if (observed.isEmpty()) {
            return Optional.of(new Verdict(Outcome.DELETED, "the SparkApplication was deleted while it was followed"));
        }
        SparkApp app = observed.get();
        report(app, now);
        switch (app.state()) {
            case "COMPLETED" -> {
                return Optional.of(new Verdict(Outcome.COMPLETED, app.namespace() + "/" + app.name() + " completed"));
            }
            case "FAILED" -> {
                return Optional.of(new Verdict(Outcome.FAILED, failed(app, "")));
            }
            case "SUBMISSION_FAILED" -> {
                if (!retriesSubmission(app)) {
                    return Optional.of(new Verdict(Outcome.FAILED, failed(app, " (no submission retries left)")));
                }
            }
            case "" -> {
                if (!idleWarned && Duration.between(started, now).compareTo(operatorIdleWarning) >= 0) {
                    idleWarned = true;
                    events.warning("the Spark Operator has not picked up " + app.namespace() + "/" + app.name() + " after "
                            + Durations.format(operatorIdleWarning) + ": is it running and watching namespace "
                            + app.namespace() + "?");
                }
            }
            default -> {
            }
        }
        return pod.flatMap(p -> stuck(p, now));
    }

    private Optional<Verdict> stuck(DriverPod pod, Instant now) {
        for (DriverPod.Waiting w : pod.waiting()) {
            if (STUCK_REASONS.contains(w.reason())) {
                return Optional.of(new Verdict(Outcome.DRIVER_STUCK, "driver pod " + pod.name() + " is stuck: " + w.reason()
                        + (w.message().isEmpty() ? "" : ": " + w.message())));
            }
        }
        if (pod.unschedulable().isEmpty()) {
            unschedulableSince = null;
            return Optional.empty();
        }
        if (unschedulableSince == null) {
            unschedulableSince = now;
            events.state(now, "UNSCHEDULABLE", "driver pod " + pod.name() + ": " + pod.unschedulable().get()
                    + " (waiting up to " + Durations.format(unschedulableTimeout) + " for a node)");
        }
        if (Duration.between(unschedulableSince, now).compareTo(unschedulableTimeout) >= 0) {
            return Optional.of(new Verdict(Outcome.DRIVER_STUCK, "driver pod " + pod.name() + " could not be scheduled for "
                    + Durations.format(unschedulableTimeout) + ": " + pod.unschedulable().get()));
        }
        return Optional.empty();
    }

    /** Prints a line whenever the state or an attempt count changes. */
    private void report(SparkApp app, Instant now) {
        String status = app.state() + "/" + app.submissionAttempts() + "/" + app.executionAttempts();
        if (status.equals(lastStatus) || app.state().isEmpty()) {
            return;
        }
        lastStatus = status;
        events.state(now, app.state(), detail(app));
    }

    private static String detail(SparkApp app) {
        int allowedRuns = allowedAttempts(app.restartPolicy().onFailureRetries(), app);
        int allowedSubmissions = allowedAttempts(app.restartPolicy().onSubmissionFailureRetries(), app);
        return switch (app.state()) {
            case "SUBMITTED" -> "driver pod " + app.driverPod() + attempt(app.executionAttempts(), allowedRuns);
            case "RUNNING" -> (app.sparkApplicationId().isEmpty() ? "" : app.sparkApplicationId())
                    + attempt(app.executionAttempts(), allowedRuns);
            case "SUBMISSION_FAILED" -> app.errorMessage() + attempt(app.submissionAttempts(), allowedSubmissions)
                    + (retriesSubmission(app) ? "; the operator retries the submission" : "");
            case "PENDING_RERUN" -> "run " + app.executionAttempts() + " failed; the operator starts it again"
                    + attempt(app.executionAttempts() + 1, allowedRuns);
            case "FAILING", "FAILED" -> app.errorMessage();
            default -> "";
        };
    }

    /** "(attempt 2 of 4)", or nothing for a first attempt without retries. */
    private static String attempt(int attempt, int allowed) {
        if (allowed == 1 && attempt <= 1) {
            return "";
        }
        String prefix = attempt > 0 ? " (attempt " + attempt : " (";
        return allowed > 0 ? prefix + " of " + allowed + ")" : prefix + ")";
    }

    /** How many attempts the restart policy allows: 1 for Never, retries + 1 for OnFailure, 0 for unlimited. */
    private static int allowedAttempts(java.util.OptionalInt retries, SparkApp app) {
        return switch (app.restartPolicy().type()) {
            case "Always" -> 0;
            case "OnFailure" -> retries.orElse(0) + 1;
            default -> 1;
        };
    }

    /** The operator's own rule for a failed submission: retry while attempts do not exceed the limit. */
    static boolean retriesSubmission(SparkApp app) {
        SparkApp.RestartPolicy policy = app.restartPolicy();
        return switch (policy.type()) {
            case "Always" -> true;
            case "OnFailure" -> policy.onSubmissionFailureRetries().isPresent()
                    && app.submissionAttempts() <= policy.onSubmissionFailureRetries().getAsInt();
            default -> false;
        };
    }

    private static String failed(SparkApp app, String suffix) {
        String message = app.errorMessage().isEmpty() ? "no error message from the operator; see the driver log" : app.errorMessage();
        return app.namespace() + "/" + app.name() + " failed" + suffix + ": " + message;
    }
}
