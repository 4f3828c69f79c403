package io.logexaminer.cli;

import io.logexaminer.action.UpAction;
import io.logexaminer.config.Platform;
import io.logexaminer.error.UsageException;
import io.logexaminer.output.PlanView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Make AWS and the cluster match platform.yaml.",
                "Running it again on a platform that is up changes nothing; an interrupted run is finished by running it again."})
public final class UpCommand extends PlatformCommand {

    @Option(names = "--dry-run", description = "print the plan (create, update, delete or noop for every resource) and change nothing")
    boolean dryRun;

    @Option(names = "--detailed-exitcode", description = "with --dry-run: exit 4 when changes are pending, 0 when none")
    boolean detailedExitCode;

    @Override
    public Integer call() {
        if (detailedExitCode && !dryRun) {
            throw new UsageException("--detailed-exitcode goes with --dry-run");
        }
        Platform platform = platform();
        UpAction.Result result = new UpAction(platform, awsAccess()).plan();
        result.accountProblem().ifPresent(problem -> out().warn("could not read the AWS account (" + problem
                + "); assuming nothing exists, so every resource shows as create"));
        result.account().ifPresent(account -> out().info("account " + account + " (" + result.principal().orElse("") + "), region "
                + platform.region()));
        PlanView.print(out(), result.plan());
        if (!dryRun) {
            throw new UsageException("only 'up --dry-run' is available in this build: applying the plan is not");
        }
        return detailedExitCode && result.plan().hasChanges() ? ExitCodes.CHANGES_PENDING : ExitCodes.OK;
    }
}
