package io.logexaminer.cli;

import io.logexaminer.output.Io;
import io.logexaminer.plan.Cancellation;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only the command a command line names is built; help and unknown names still see every command. */
class CliTreeTest {
    private static final Io IO = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()), Map.of(), false, new Cancellation());

    private static Set<String> commands(String... args) {
        return Cli.forArguments(args, IO).getSubcommands().keySet();
    }

    @Test
    void theNamedCommandAloneIsBuiltWhateverGlobalOptionsComeFirst() {
        assertEquals(Set.of("up"), commands("up", "--dry-run"));
        assertEquals(Set.of("up"), commands("-f", "query", "-o", "json", "--region", "eu-west-1", "-vv", "up"));
        assertEquals(Set.of("query"), commands("--config=p.yaml", "query", "SELECT 1"));
    }

    @Test
    void versionNeedsNoCommandAndHelpNeedsThemAll() {
        assertEquals(Set.of(), commands("--version"));
        Set<String> all = Cli.commandLine(IO).getSubcommands().keySet();
        assertTrue(all.containsAll(Set.of("up", "down", "mirror-images", "port-forward", "submit-job", "query", "completion")), all::toString);
        assertEquals(all, commands("--help"));
        assertEquals(all, commands());
        assertEquals(all, commands("completion", "bash"));
        assertEquals(all, commands("upp"));
    }

    @Test
    void registeredCommandsAreWhatServiceLoaderFindsInTheSameOrder() {
        List<Class<?>> viaServiceLoader = ServiceLoader.load(Subcommand.class).stream().<Class<?>>map(ServiceLoader.Provider::type).toList();
        assertEquals(viaServiceLoader, List.copyOf(Cli.registered()));
        assertEquals(viaServiceLoader.size(), Cli.commandLine(IO).getSubcommands().values().stream().distinct().count());
    }

    @Test
    void commandNameSkipsTheValuesOfRootOptions() {
        CommandLine.Model.CommandSpec root = Cli.commandLine(IO).getCommandSpec();
        assertEquals(Optional.of("down"), Cli.commandName(root, new String[]{"--profile", "up", "down"}));
        assertEquals(Optional.of("x"), Cli.commandName(root, new String[]{"--", "x"}));
        assertEquals(Optional.empty(), Cli.commandName(root, new String[]{"-v", "--no-color"}));
    }
}
