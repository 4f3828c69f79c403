package io.logexaminer.cli;

import io.logexaminer.output.Io;

import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Builds the command tree and runs one command line. */
public final class Cli {
    /** Commands that need the whole tree: help lists every command, completion scripts cover them all. */
    private static final List<String> WHOLE_TREE_COMMANDS = List.of("help", "completion");

    private Cli() {
    }

    /** The whole command tree: the root and every {@link Subcommand} registered. */
    public static CommandLine commandLine(Io io) {
        CommandLine cl = root(io);
        addAll(cl, registered());
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
        List<String> given = List.of(args);
        if (name.isEmpty() && (given.contains("--version") || given.contains("-V")) && !given.contains("--help") && !given.contains("-h")) {
            return cl;
        }
        List<Class<? extends Subcommand>> registered = registered();
        name.filter(n -> !WHOLE_TREE_COMMANDS.contains(n)).flatMap(n -> named(n, registered))
                .ifPresentOrElse(cl::addSubcommand, () -> addAll(cl, registered));
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

    private static Optional<Subcommand> named(String name, List<Class<? extends Subcommand>> registered) {
        return registered.stream().filter(type -> names(type).contains(name)).findFirst().map(Cli::create);
    }

    private static void addAll(CommandLine cl, List<Class<? extends Subcommand>> registered) {
        registered.forEach(type -> cl.addSubcommand(create(type)));
    }

    /**
     * The classes {@code META-INF/services/io.logexaminer.cli.Subcommand} names, in order, read as ServiceLoader reads
     * them but from the first file on the class path only (this jar's): ServiceLoader opens every jar to look for more.
     */
    static List<Class<? extends Subcommand>> registered() {
        String file = "META-INF/services/" + Subcommand.class.getName();
        ClassLoader loader = Cli.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the class path");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .<Class<? extends Subcommand>>map(name -> commandClass(name, loader))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<? extends Subcommand> commandClass(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader).asSubclass(Subcommand.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("registered command " + name + " is not on the class path", e);
        }
    }

    private static Subcommand create(Class<? extends Subcommand> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException("cannot create command " + type.getName(), cause);
        }
    }

    private static List<String> names(Class<?> type) {
        CommandLine.Command command = type.getAnnotation(CommandLine.Command.class);
        if (command == null) {
            return List.of();
        }
        return Stream.concat(Stream.of(command.name()), Arrays.stream(command.aliases())).toList();
    }

    private static CommandLine root(Io io) {
        // picocli otherwise looks for Groovy on the class path, a scan of every jar, to allow closures in annotations
        System.setProperty("picocli.disable.closures", "true");
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
