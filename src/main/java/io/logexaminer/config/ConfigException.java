package io.logexaminer.config;

import io.logexaminer.error.LogexaminerException;

import java.util.List;
import java.util.stream.Collectors;

/** platform.yaml cannot be used: every error found, one per line. */
public final class ConfigException extends LogexaminerException {
    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining(System.lineSeparator())));
        this.problems = List.copyOf(problems);
    }

    public static ConfigException of(String source, int line, String path, String message) {
        return new ConfigException(List.of(new Problem(source, line, path, message, Problem.Severity.ERROR)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
