package io.logexaminer.action;

import java.util.Map;
import java.util.Optional;

/** How the user reaches AWS: {@code --profile} and the process environment (credentials, endpoint overrides). */
public record AwsAccess(Optional<String> profile, Map<String, String> environment) {
}
