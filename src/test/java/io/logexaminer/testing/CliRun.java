package io.logexaminer.testing;

import io.logexaminer.cli.Cli;
import io.logexaminer.output.Io;
import io.logexaminer.plan.Cancellation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process, as a shell would, with captured stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun run(String... args) {
        return run(Map.of(), "", args);
    }

    public static CliRun run(Map<String, String> environment, String stdin, String... args) {
        return run(environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new Cancellation(), args);
    }

    public static CliRun run(Map<String, String> environment, InputStream stdin, Cancellation cancellation, String... args) {
        return run(environment, stdin, cancellation, false, args);
    }

    /** As if a person sat at a terminal: prompts are asked, {@code stdin} holds the answers. */
    public static CliRun runOnTerminal(Map<String, String> environment, String stdin, String... args) {
        return run(environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new Cancellation(), true, args);
    }

    private static CliRun run(Map<String, String> environment, InputStream stdin, Cancellation cancellation, boolean terminal,
                              String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int code = Cli.run(args, new Io(stdin, o, e, env, terminal, cancellation));
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Everything the run printed, for checks that a secret appears nowhere. */
    public String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
