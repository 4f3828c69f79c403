package io.logexaminer.aws;

import java.util.Map;
import java.util.Optional;

/**
 * How to reach AWS: the region, the profile ({@code --profile}), and the process environment, read explicitly so
 * that {@code AWS_ENDPOINT_URL} and credentials can point the same binary at an emulator.
 */
public record AwsSettings(String region, Optional<String> profile, Map<String, String> environment) {

    public AwsSettings {
        environment = Map.copyOf(environment);
    }

    /**
     * The endpoint for a service: {@code AWS_ENDPOINT_URL_<SERVICE>} first, then {@code AWS_ENDPOINT_URL}, as the
     * AWS SDKs and CLI read them. {@code serviceId} is the SDK's service id, such as {@code STS} or {@code Secrets Manager}.
     */
    public Optional<String> endpointFor(String serviceId) {
        String specific = "AWS_ENDPOINT_URL_" + serviceId.toUpperCase().replace(' ', '_');
        String value = environment.get(specific);
        if (value == null || value.isBlank()) {
            value = environment.get("AWS_ENDPOINT_URL");
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
