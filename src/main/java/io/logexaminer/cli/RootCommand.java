package io.logexaminer.cli;

import io.logexaminer.output.Io;
import io.logexaminer.output.Output;
import io.logexaminer.output.OutputFormat;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code logexaminer}: the global options every command inherits. */
@Command(
        name = "logexaminer",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        headerHeading = "%n",
        header = "Bring the LogExaminer data platform up on AWS from one platform.yaml, run it, and take it down.",
        synopsisHeading = "%nUsage: ",
        optionListHeading = "%nOptions:%n",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
                "Exit codes: 0 success, 1 operation failed, 2 bad usage or invalid configuration,",
                "3 remote state not as expected, 4 changes pending (up --dry-run --detailed-exitcode),",
                "130 interrupted.",
                "",
                "Run 'logexaminer COMMAND --help' for a command's options."})
public final class RootCommand implements Callable<Integer> {

    @Option(names = {"-f", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT, order = 1,
            description = "platform.yaml to use; '-' reads it from stdin (default: ./platform.yaml)")
    String config = "platform.yaml";

    @Option(names = "--region", paramLabel = "REGION", scope = ScopeType.INHERIT, order = 2,
            description = "AWS region; overrides the region in platform.yaml")
    String region;

    @Option(names = "--profile", paramLabel = "PROFILE", scope = ScopeType.INHERIT, order = 3,
            description = "AWS profile from ~/.aws/config to take credentials from")
    String profile;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, order = 4,
            description = "more detail on stderr; -vv for debug logs")
    boolean[] verbosity = new boolean[0];

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, order = 5,
            description = "text or json; with json, stdout carries only JSON (default: text)")
    OutputFormat output = OutputFormat.text;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, order = 6,
            description = "no colors (also when NO_COLOR is set)")
    boolean noColor;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Io io;
    private Output out;

    void attach(Io io) {
        this.io = io;
    }

    /** The global options as the user gave them. */
    public GlobalOptions globals() {
        return new GlobalOptions(config, Optional.ofNullable(region), Optional.ofNullable(profile), verbosity.length,
                output, noColor || io.environment().containsKey("NO_COLOR"));
    }

    public Io io() {
        return io;
    }

    /** The output for this run, made on first use once the options are parsed. */
    public synchronized Output output() {
        if (out == null) {
            GlobalOptions g = globals();
            out = new Output(io, g.output(), !g.noColor() && io.interactive(), g.verbosity());
        }
        return out;
    }

    /** Without a command: the help, on stderr since it is not the data asked for, and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(io.err());
        return ExitCodes.USAGE;
    }
}
