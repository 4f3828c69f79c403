package io.logexaminer.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script.",
                "bash: source <(logexaminer completion bash)",
                "zsh:  source <(logexaminer completion zsh)"})
public final class CompletionCommand implements Callable<Integer>, Subcommand {

    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash(root.getCommandName(), root);
        RootCommand rootCommand = (RootCommand) spec.root().userObject();
        // picocli's script serves zsh too: it loads bashcompinit itself when run by zsh.
        rootCommand.io().out().print(script);
        rootCommand.io().out().flush();
        return ExitCodes.OK;
    }
}
