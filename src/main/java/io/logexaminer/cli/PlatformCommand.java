package io.logexaminer.cli;

import io.logexaminer.action.AwsAccess;
import io.logexaminer.action.ClusterAccess;
import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.config.Problem;
import io.logexaminer.output.Io;
import io.logexaminer.output.Output;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** What every command that reads platform.yaml shares: the global options, the loaded platform, the output. */
@CommandLine.Command(mixinStandardHelpOptions = true, sortOptions = false)
public abstract class PlatformCommand implements Callable<Integer>, Subcommand {

    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    protected RootCommand root() {
        return (RootCommand) spec.root().userObject();
    }

    protected GlobalOptions globals() {
        return root().globals();
    }

    protected Io io() {
        return root().io();
    }

    protected Output out() {
        return root().output();
    }

    /** Loads and validates platform.yaml, printing its warnings; an invalid file ends the command with exit 2. */
    protected Platform platform() {
        GlobalOptions g = globals();
        PlatformLoader.Loaded loaded = PlatformLoader.load(g.config(), io().in(), g.region());
        loaded.warnings().forEach(w -> out().log().println(w));
        return loaded.platform();
    }

    /**
     * platform.yaml when the platform's cluster is used or the file is there; otherwise empty, and the platform's
     * defaults apply to a cluster chosen by kubeconfig.
     */
    protected Optional<Platform> platformIfPresent(ClusterAccess.Choice choice) {
        String config = globals().config();
        if (choice.usesPlatformCluster() || "-".equals(config) || Files.exists(Path.of(config))) {
            return Optional.of(platform());
        }
        return Optional.empty();
    }

    protected AwsAccess awsAccess() {
        return new AwsAccess(globals().profile(), io().environment());
    }
}
