package io.logexaminer.aws;

import io.logexaminer.error.OperationFailedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Set;

/** Turns SDK exceptions into one line a user can act on. */
public final class AwsErrors {
    private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "UnauthorizedAccess", "AuthorizationError", "NotAuthorized");
    private static final Set<String> CAPACITY = Set.of("InsufficientInstanceCapacity", "InsufficientDBInstanceCapacity",
            "InsufficientFreeAddressesInSubnet", "InsufficientCapacity", "InsufficientAddressCapacity",
            "UnsupportedAvailabilityZoneException", "InsufficientStorageClusterCapacity");
    private static final Set<String> ZONE = Set.of("InvalidAvailabilityZone", "InvalidParameterValue.AvailabilityZone");

    private AwsErrors() {
    }

    public static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String code = s.awsErrorDetails().errorCode();
            String message = s.awsErrorDetails().errorMessage();
            if (code == null && message == null) {
                return "HTTP " + s.statusCode();
            }
            return (code == null ? "" : code + ": ") + (message == null ? "" : firstLine(message));
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.startsWith("Unable to load credentials")) {
            return "no AWS credentials found: set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
        }
        return firstLine(message);
    }

    /** The error code AWS answered with, or empty for client-side failures. */
    public static String code(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null) {
            return s.awsErrorDetails().errorCode();
        }
        return "";
    }

    /**
     * A failed call while working on {@code resourceId}, said so that the user knows what to change: the refused
     * action and who was refused, the quota or capacity to change, or that AWS kept failing after the retries.
     */
    public static OperationFailedException failure(SdkException e, String resourceId, String principal) {
        String action = OperationNames.last().orElse("an AWS call");
        String code = code(e);
        String cause = describe(e);
        String message;
        if (ACCESS_DENIED.contains(code) || code.startsWith("AccessDenied")) {
            message = resourceId + ": " + principal + " is not allowed to call " + action + " (" + cause
                    + "): grant it that action on this resource, or use other credentials (--profile)";
        } else if (CAPACITY.contains(code)) {
            message = resourceId + ": " + action + ": AWS has no capacity for it (" + cause
                    + "): choose other instance types or availability zones in platform.yaml, or try again later";
        } else if (ZONE.contains(code)) {
            message = resourceId + ": " + action + ": " + cause + ": choose other network.availabilityZones in platform.yaml";
        } else if (e.retryable() || (e instanceof AwsServiceException s && (s.isThrottlingException() || s.statusCode() >= 500))) {
            message = resourceId + ": " + action + " kept failing after retries (" + cause + "): try again later; up resumes where it stopped";
        } else if (code.contains("LimitExceeded") || code.contains("QuotaExceeded") || code.equals("TooManyBuckets")) {
            message = resourceId + ": " + action + ": a service quota is reached (" + cause
                    + "): raise it in Service Quotas or delete unused resources of that kind";
        } else {
            message = resourceId + ": " + action + " failed: " + cause;
        }
        return new OperationFailedException(message, e);
    }

    private static String firstLine(String message) {
        return message.lines().findFirst().orElse(message);
    }
}
