package io.logexaminer.cli;

import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.MotoServer;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With credentials and AWS_ENDPOINT_URL, dry-run reads the account from STS (here moto server). */
class UpDryRunWithAccountTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();

    @Test
    void dryRunNamesTheAccountItPlannedAgainst() {
        String example = TestBinaries.projectDir().resolve("examples/platform.yaml").toString();
        CliRun r = CliRun.run(moto.environment(), "", "up", "--dry-run", "-f", example);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("account " + MotoServer.ACCOUNT), r.err());
        assertFalse(r.err().contains("could not read the AWS account"), r.err());
    }
}
