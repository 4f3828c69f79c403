package io.logexaminer.cli;

import io.logexaminer.output.Io;
import io.logexaminer.output.Output;
import io.logexaminer.output.OutputFormat;

import io.logexaminer.config.ConfigException;
import io.logexaminer.error.CancelledException;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.RemoteStateException;
import io.logexaminer.error.UsageException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Optional;

/** The one place where failures become exit codes and one-line messages. */
public final class ExitCodes implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int REMOTE_STATE = 3;
    public static final int CHANGES_PENDING = 4;
    public static final int INTERRUPTED = 130;

    private final RootCommand root;

    ExitCodes(RootCommand root) {
        this.root = root;
    }

    /** The exit code for a failure. */
    public static int of(Throwable t) {
        return switch (t) {
            case ConfigException e -> USAGE;
            case UsageException e -> USAGE;
            case CommandLine.ParameterException e -> USAGE;
            case CancelledException e -> INTERRUPTED;
            case RemoteStateException e -> REMOTE_STATE;
            case OperationFailedException e -> FAILED;
            default -> FAILED;
        };
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        PrintStream err = root.io().err();
        err.println("logexaminer: " + unknownCommand(e).map(name -> "unknown command '" + name + "'").orElse(e.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintStream err = root.io().err();
        if (e instanceof ConfigException config) {
            config.problems().forEach(err::println);
        } else if (e instanceof CommandLine.ParameterException p) {
            return handleParseException(p, parseResult.originalArgs().toArray(String[]::new));
        } else if (e instanceof CancelledException) {
            err.println("interrupted: " + e.getMessage());
        } else if (e instanceof io.logexaminer.error.LogexaminerException) {
            root.output().error(e.getMessage());
        } else {
            root.output().error(describe(e));
            if (root.globals().verbosity() >= 2) {
                e.printStackTrace(err);
            } else {
                err.println("(an unexpected failure: run again with -vv for the stack trace)");
            }
        }
        return of(e);
    }

    /** The word that stands where a command should: picocli calls it an unmatched argument. */
    private static Optional<String> unknownCommand(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && e.getCommandLine().getParent() == null
                && e.getCommandLine().getParseResult().subcommand() == null) {
            return unmatched.getUnmatched().stream().findFirst().filter(arg -> !arg.startsWith("-"));
        }
        return Optional.empty();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
