package io.logexaminer.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a SparkApplication's status says, read from the object the operator keeps up to date.
 *
 * @param state              the operator's application state, such as SUBMITTED or FAILED; empty while it is new
 * @param submissionAttempts how often the operator ran spark-submit for it
 * @param executionAttempts  how often a driver was started
 * @param driverPod          the driver pod's name as the operator reports it, or the name Spark gives it
 */
public record SparkApp(
        String namespace,
        String name,
        String resourceVersion,
        String state,
        String errorMessage,
        int submissionAttempts,
        int executionAttempts,
        String driverPod,
        String sparkApplicationId,
        RestartPolicy restartPolicy,
        Optional<String> submissionTime,
        Optional<String> terminationTime) {

    /**
     * The application's {@code spec.restartPolicy}: Never, OnFailure (with retry limits) or Always.
     */
    public record RestartPolicy(String type, OptionalInt onFailureRetries, OptionalInt onSubmissionFailureRetries) {
    }

    static SparkApp of(JsonNode app) {
        JsonNode status = app.path("status");
        JsonNode policy = app.path("spec").path("restartPolicy");
        String name = app.path("metadata").path("name").asText();
        String driverPod = status.path("driverInfo").path("podName").asText("");
        return new SparkApp(
                app.path("metadata").path("namespace").asText(),
                name,
                app.path("metadata").path("resourceVersion").asText(""),
                status.path("applicationState").path("state").asText(""),
                status.path("applicationState").path("errorMessage").asText(""),
                status.path("submissionAttempts").asInt(0),
                status.path("executionAttempts").asInt(0),
                driverPod.isEmpty() ? name + "-driver" : driverPod,
                status.path("sparkApplicationId").asText(""),
                new RestartPolicy(policy.path("type").asText("Never"), optionalInt(policy.path("onFailureRetries")),
                        optionalInt(policy.path("onSubmissionFailureRetries"))),
                optionalText(status.path("lastSubmissionAttemptTime")),
                optionalText(status.path("terminationTime")));
    }

    private static OptionalInt optionalInt(JsonNode node) {
        return node.isNumber() ? OptionalInt.of(node.asInt()) : OptionalInt.empty();
    }

    private static Optional<String> optionalText(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText()) : Optional.empty();
    }
}
