package io.logexaminer.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference as Docker reads it: {@code [REGISTRY/]REPOSITORY[:TAG][@DIGEST]}. A first path
 * component with a dot, a colon or named {@code localhost} is the registry; otherwise the registry is Docker Hub,
 * where one-component names live under {@code library/}.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

    /** Parses a reference; the error says what is wrong with it. */
    public static Result parse(String text) {
        if (text == null || text.isBlank()) {
            return Result.error("is empty");
        }
        if (!text.strip().equals(text)) {
            return Result.error("has leading or trailing spaces");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Result.error("digest '" + digest + "' is not ALGORITHM:HEX");
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (namesRegistry(rest)) {
            String first = rest.substring(0, slash);
            if (!HOST.matcher(first).matches()) {
                return Result.error("registry '" + first + "' is not a host name");
            }
            registry = first;
            rest = rest.substring(slash + 1);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Result.error("tag '" + tag + "' is not valid (letters, digits, '_', '.', '-'; at most 128)");
            }
        }
        if (rest.isEmpty()) {
            return Result.error("has no repository name");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                return Result.error("repository '" + rest + "' is not valid (lowercase letters, digits and separators)");
            }
        }
        if (rest.length() > 255) {
            return Result.error("repository name is longer than 255 characters");
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new Result(Optional.of(new ImageReference(registry, rest, tag, digest)), null);
    }

    /** Whether {@code text} starts with a registry host, rather than being a repository of the default registry. */
    public static boolean namesRegistry(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        String first = text.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }

    /** The tag, or the digest when the reference pins one: what to ask the registry for. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** A parsed reference, or why the text is not one. */
    public record Result(Optional<ImageReference> reference, String error) {
        static Result error(String message) {
            return new Result(Optional.empty(), message);
        }

        public boolean ok() {
            return reference.isPresent();
        }
    }
}
