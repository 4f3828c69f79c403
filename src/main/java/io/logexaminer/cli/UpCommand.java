package io.logexaminer.cli;

import io.logexaminer.action.UpAction;
import io.logexaminer.config.Platform;
import io.logexaminer.error.UsageException;
import io.logexaminer.output.PlanView;
import io.logexaminer.output.ProgressView;
import io.logexaminer.plan.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "up", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Make AWS and the cluster match platform.yaml.",
                "Running it again on a platform that is up changes nothing; an interrupted run is finished by running it again."})
public final class UpCommand extends PlatformCommand {

    @Option(names = "--dry-run", description = "print the plan (create, update, delete or noop for every resource) and change nothing")
    boolean dryRun;

    @Option(names = "--detailed-exitcode", description = "with --dry-run: exit 4 when changes are pending, 0 when none")
    boolean detailedExitCode;

    @Mixin
    RegistryOption registry;

    @Override
    public Integer call() {
        if (detailedExitCode && !dryRun) {
            throw new UsageException("--detailed-exitcode goes with --dry-run");
        }
        UpAction.Options options = new UpAction.Options(registry.url(), ProgressView.newsInterval(out()));
        Platform platform = platform();
        try (UpAction up = new UpAction(platform, awsAccess(), options)) {
            UpAction.Account account = up.account(dryRun);
            account.problem().ifPresent(problem -> out().warn("could not read the AWS account (" + problem
                    + "); assuming nothing exists, so every resource shows as create"));
            account.account().ifPresent(id -> out().info("account " + id + " (" + account.principal().orElse("")
                    + "), region " + platform.region()));
            UpAction.Planned planned = up.plan(io().cancellation());
            PlanView.print(out(), planned.plan());
            planned.notApplied().ifPresent(out()::info);
            planned.requireNoRefusals();
            if (dryRun) {
                return detailedExitCode && planned.plan().hasChanges() ? ExitCodes.CHANGES_PENDING : ExitCodes.OK;
            }
            UpAction.Applied applied;
            try (ProgressView progress = ProgressView.create(out())) {
                applied = up.apply(progress, io().cancellation());
            }
            Map<Action, Integer> a = applied.actions();
            out().info("up done: " + a.get(Action.CREATE) + " created, " + a.get(Action.UPDATE) + " updated, "
                    + a.get(Action.DELETE) + " deleted, " + a.get(Action.NOOP) + " unchanged");
            applied.kubeconfig().ifPresent(k -> out().info("kubeconfig: " + k.summary()));
            applied.kubeconfigProblem().ifPresent(p -> out().warn("kubeconfig: could not write the cluster's context (" + p
                    + "); 'logexaminer kubeconfig' writes it"));
            return ExitCodes.OK;
        }
    }
}
