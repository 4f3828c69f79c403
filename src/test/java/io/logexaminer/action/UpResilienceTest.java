package io.logexaminer.action;

import io.logexaminer.plan.Cancellation;
import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.CliRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code up} when AWS throttles and fails now and then, and when it is interrupted half-way and run again. */
class UpResilienceTest extends AgainstMoto {
    /** The EC2 resources of the default platform: VPC, 4 subnets, gateway, 3 route tables, EIP, NAT, 2 groups, 5 endpoints. */
    private static final int EC2_RESOURCES = 18;

    private final String file = Fixtures.platformFile(demo());

    private void assertConvergedWithoutDuplicates() throws Exception {
        Map<String, Integer> owned = Fixtures.ownedEc2(aws, "demo");
        assertEquals(EC2_RESOURCES, owned.size(), owned::toString);
        owned.forEach((id, count) -> assertEquals(1, count, "duplicate " + id));
        assertEquals(1, aws.rds().describeDBInstances().dbInstances().size());
        assertEquals(2, aws.eks().listNodegroups(r -> r.clusterName("demo")).nodegroups().size());
        assertEquals(1, aws.iam().listOpenIDConnectProviders().openIDConnectProviderList().size());
        assertEquals(6, aws.ecr().describeRepositories().repositories().size());
        AwsCallLog.reset();
        CliRun again = up("-f", file, "-o", "json");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(Map.of(), AwsCallLog.mutating(), "converged: nothing left to change");
        assertOnlyKubernetesPending(again);
    }

    @Test
    void throttlingAnd5xxOnFivePercentOfCallsStillConverge() throws Exception {
        proxy.failRandomly(0.05, 42);
        CliRun up = up("-f", file);
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(proxy.faultsInjected() > 5, "faults injected: " + proxy.faultsInjected());
        CliRun down = CliRun.run(env, "", "down", "--yes", "--delete-data", "-f", file);
        assertEquals(0, down.exitCode(), down::toString);
        proxy.failRandomly(0, 0);
        assertEquals(Map.of(), Fixtures.ownedEc2(aws, "demo"));
        CliRun upAgain = up("-f", file);
        assertEquals(0, upAgain.exitCode(), upAgain::toString);
        assertConvergedWithoutDuplicates();
    }

    /** Interrupts {@code up} (as Ctrl-C does) right after its n-th mutating call of 82, then runs it again. */
    @ParameterizedTest
    @ValueSource(ints = {1, 12, 30, 50, 80})
    void anUpInterruptedAfterAnyNumberOfChangesIsFinishedByTheNext(int n) throws Exception {
        Cancellation cancellation = new Cancellation();
        AwsCallLog.onMutating(count -> {
            if (count == n) {
                cancellation.cancel();
            }
        });
        CliRun interrupted = CliRun.run(env, new ByteArrayInputStream(new byte[0]), cancellation, upArgs("-f", file));
        assertEquals(130, interrupted.exitCode(), interrupted::toString);
        AwsCallLog.reset();
        CliRun resumed = up("-f", file);
        assertEquals(0, resumed.exitCode(), resumed::toString);
        assertConvergedWithoutDuplicates();
    }
}
