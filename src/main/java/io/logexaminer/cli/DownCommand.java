package io.logexaminer.cli;

import io.logexaminer.action.DeletionOptions;
import io.logexaminer.action.DownAction;
import io.logexaminer.config.Platform;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.RemoteStateException;
import io.logexaminer.error.UsageException;
import io.logexaminer.output.PlanView;
import io.logexaminer.output.ProgressView;
import io.logexaminer.plan.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

@Command(name = "down", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Delete what this platform created on AWS, in reverse dependency order, and nothing else.",
                "Keeps data unless told otherwise: a bucket that holds objects and an ECR repository that holds images stay, "
                        + "and the database leaves a final snapshot.",
                "Exits non-zero unless everything the platform owns is confirmed gone."})
public final class DownCommand extends PlatformCommand {

    @Option(names = "--dry-run", description = "print what would be deleted and change nothing")
    boolean dryRun;

    @Option(names = "--yes", description = "delete without asking (needed when not on a terminal)")
    boolean yes;

    @Option(names = "--delete-data", description = "also delete buckets that hold objects (every object version), ECR "
            + "repositories that hold images (with their images) and the database secret without its recovery window")
    boolean deleteData;

    @Option(names = "--skip-final-snapshot", description = "delete the database without taking a final snapshot")
    boolean skipFinalSnapshot;

    @Override
    public Integer call() {
        if (!dryRun && !yes && !io().interactive()) {
            throw new UsageException("down deletes the platform and there is no terminal to ask on: pass --yes to confirm, "
                    + "or --dry-run to see what it would delete");
        }
        Platform platform = platform();
        try (DownAction down = new DownAction(platform, awsAccess(), new DeletionOptions(deleteData, skipFinalSnapshot))) {
            DownAction.Account account = down.account();
            out().info("account " + account.account() + " (" + account.principal() + "), region " + platform.region());
            DownAction.Planned planned = down.plan(io().cancellation());
            PlanView.print(out(), planned.plan());
            planned.notDeleted().ifPresent(out()::info);
            if (dryRun) {
                return ExitCodes.OK;
            }
            if (!planned.plan().hasChanges()) {
                out().info("nothing of platform " + platform.name() + " to delete");
                return ExitCodes.OK;
            }
            if (!yes) {
                confirm(platform, account, planned);
            }
            DownAction.Result result;
            try (ProgressView progress = ProgressView.create(out())) {
                result = down.apply(progress, io().cancellation());
            }
            result.kept().forEach(k -> out().warn("kept " + k));
            if (!result.remaining().isEmpty()) {
                throw new RemoteStateException("still there after down: " + String.join(", ", result.remaining())
                        + "; run down again");
            }
            if (!result.kept().isEmpty()) {
                throw new RemoteStateException("down kept " + result.kept().size() + " resource(s) that hold data (see above)");
            }
            out().info("down done: everything platform " + platform.name() + " owned is gone");
            return ExitCodes.OK;
        }
    }

    /** Asks on the terminal for the platform's name before anything is deleted. */
    private void confirm(Platform platform, DownAction.Account account, DownAction.Planned planned) {
        int count = planned.plan().summary().get(Action.DELETE);
        out().log().print("Delete these " + count + " resources of platform " + platform.name() + " in account " + account.account()
                + "? Type the platform name to confirm: ");
        out().log().flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(io().in(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (answer == null || !answer.strip().equals(platform.name())) {
            throw new OperationFailedException("not confirmed: nothing was deleted");
        }
    }
}
