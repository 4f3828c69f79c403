package io.logexaminer.cli;

import io.logexaminer.error.UsageException;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** {@code --registry URL}: where images go instead of the account's ECR registry, for every command that mirrors them. */
public final class RegistryOption {

    @Option(names = "--registry", paramLabel = "URL",
            description = "push images to this registry instead of the account's ECR registry; an http:// URL allows a "
                    + "plain-HTTP registry")
    String registry;

    /** The registry's URL, or empty for the account's ECR registry; a URL that is not http(s)://HOST[:PORT] is a usage error. */
    Optional<URI> url() {
        if (registry == null) {
            return Optional.empty();
        }
        URI u;
        try {
            u = URI.create(registry.contains("://") ? registry : "https://" + registry);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--registry '" + registry + "' is not a URL");
        }
        if (!List.of("http", "https").contains(u.getScheme()) || u.getHost() == null
                || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))) {
            throw new UsageException("--registry '" + registry + "' must be http(s)://HOST[:PORT], with no path");
        }
        return Optional.of(u);
    }
}
