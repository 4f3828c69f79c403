package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsSettings;

import java.util.Map;
import java.util.Optional;

/** How the user reaches AWS: {@code --profile} and the process environment (credentials, endpoint overrides). */
public record AwsAccess(Optional<String> profile, Map<String, String> environment) {
    /** The SDK clients for {@code region}, reached this way; the caller closes them. */
    AwsClients clients(String region) {
        return new AwsClients(new AwsSettings(region, profile, environment));
    }
}
