package io.logexaminer.cli;

/**
 * A top-level command. Each is listed in {@code META-INF/services/io.logexaminer.cli.Subcommand} and picked up
 * by {@link Cli}, so adding a command touches neither the root command nor the error handling.
 */
public interface Subcommand {
}
