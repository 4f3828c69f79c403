package io.logexaminer.cli;

import io.logexaminer.output.Io;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/** Builds the command tree and runs one command line. */
public final class Cli {
    /** Commands that need the whole tree: help lists every command, completion scripts cover them all. */
    private static final List<String> WHOLE_TREE_COMMANDS = List.of("help", "completion");

    private Cli() {
    }

    /** The whole command tree: the root and every {@link Subcommand} on the class path. */
    public static CommandLine commandLine(Io io) {
        CommandLine cl = root(io);
        ServiceLoader.load(Subcommand.class, Cli.class.getClassLoader()).forEach(cl::addSubcommand);
        return cl;
    }

    /** Runs {@code args} and returns the exit code. */
    public static int run(String[] args, Io io) {
        return forArguments(args, io).execute(args);
    }

    /**
     * The tree {@code args} needs, since building a command's model costs start-up time: only the command they name;
     * no command for {@code --version}; the whole tree for help, for a name that does not exist (picocli then
     * suggests one), and for the commands that list the others.
     */
    static CommandLine forArguments(String[] args, Io io) {
        CommandLine cl = root(io);
        Optional<String> name = commandName(cl.getCommandSpec(), args);
        Optional<Subcommand> only = name.filter(n -> !WHOLE_TREE_COMMANDS.contains(n)).flatMap(Cli::load);
        List<String> given = List.of(args);
        boolean versionOnly = name.isEmpty() && (given.contains("--version") || given.contains("-V"))
                && !given.contains("--help") && !given.contains("-h");
        if (only.isPresent()) {
            cl.addSubcommand(only.get());
        } else if (!versionOnly) {
            ServiceLoader.load(Subcommand.class, Cli.class.getClassLoader()).forEach(cl::addSubcommand);
        }
        return cl;
    }

    /** The first argument that is not a root option or an option's value. */
    static Optional<String> commandName(CommandLine.Model.CommandSpec root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return i + 1 < args.length ? Optional.of(args[i + 1]) : Optional.empty();
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                return Optional.of(arg);
            }
            CommandLine.Model.OptionSpec option = root.findOption(arg);
            if (option != null && option.arity().min() > 0) {
                i++;
            }
        }
        return Optional.empty();
    }

    private static Optional<Subcommand> load(String name) {
        return ServiceLoader.load(Subcommand.class, Cli.class.getClassLoader()).stream()
                .filter(p -> names(p.type()).contains(name))
                .findFirst()
                .map(ServiceLoader.Provider::get);
    }

    private static List<String> names(Class<?> type) {
        CommandLine.Command command = type.getAnnotation(CommandLine.Command.class);
        if (command == null) {
            return List.of();
        }
        return Stream.concat(Stream.of(command.name()), Arrays.stream(command.aliases())).toList();
    }

    private static CommandLine root(Io io) {
        RootCommand root = new RootCommand();
        root.attach(io);
        CommandLine cl = new CommandLine(root);
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
}
