package io.logexaminer.cli;

import io.logexaminer.output.Io;
import io.logexaminer.output.Output;
import io.logexaminer.output.OutputFormat;

import picocli.CommandLine;

import java.util.ServiceLoader;

/** Builds the command tree and runs one command line. */
public final class Cli {
    private Cli() {
    }

    /** The whole command tree: the root and every {@link Subcommand} on the class path. */
    public static CommandLine commandLine(Io io) {
        RootCommand root = new RootCommand();
        root.attach(io);
        CommandLine cl = new CommandLine(root);
        for (Subcommand sub : ServiceLoader.load(Subcommand.class, Cli.class.getClassLoader())) {
            cl.addSubcommand(sub);
        }
        ExitCodes handler = new ExitCodes(root);
        cl.setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true)
                .setOut(new java.io.PrintWriter(io.out(), true))
                .setErr(new java.io.PrintWriter(io.err(), true))
                .setColorScheme(CommandLine.Help.defaultColorScheme(io.interactive() && !io.environment().containsKey("NO_COLOR")
                        ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
        return cl;
    }

    /** Runs {@code args} and returns the exit code. */
    public static int run(String[] args, Io io) {
        return commandLine(io).execute(args);
    }
}
