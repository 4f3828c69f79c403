package io.logexaminer.output;

import io.logexaminer.plan.Cancellation;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The process's streams and environment, passed in rather than read from {@code System}, so the CLI runs the same
 * in-process under a test as it does from a shell.
 *
 * @param interactive whether a person sits at a terminal (live progress, prompts, tables)
 * @param cancellation set by Ctrl-C; long-running work watches it
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment, boolean interactive,
                 Cancellation cancellation) {
}
