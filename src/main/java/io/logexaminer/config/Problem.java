package io.logexaminer.config;

/**
 * One finding about a platform.yaml, printed as {@code FILE:LINE: yaml.path: message}.
 *
 * @param source the file as the user named it ({@code -} reads as {@code <stdin>})
 * @param line   1-based line of the YAML node the problem is about
 * @param path   the YAML path, such as {@code network.privateSubnets[1].cidr}; empty for the document itself
 */
public record Problem(String source, int line, String path, String message, Severity severity) {

    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        String where = path.isEmpty() ? "" : path + ": ";
        String kind = severity == Severity.WARNING ? "warning: " : "";
        return source + ":" + line + ": " + where + kind + message;
    }
}
