package io.logexaminer.action;

import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.AwsProxy;
import io.logexaminer.testing.CliRun;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Preflight before any write, and AWS refusals turned into what to do about them. */
class UpErrorsTest extends AgainstMoto {

    private CliRun upWith(String yaml) {
        return up("-f", Fixtures.platformFile(yaml));
    }

    @Test
    void preflightNamesZonesAndInstanceTypesAwsDoesNotHaveAndChangesNothing() {
        CliRun r = upWith(demo() + "network:\n  availabilityZones: [eu-west-1a, eu-west-1z]\n");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("account 123456789012 (arn:aws:sts::123456789012:user/moto), region eu-west-1\n"
                + "error: preflight found problems, nothing was changed:"), r.err());
        assertTrue(r.err().contains("network.availabilityZones: eu-west-1z is not an available zone of eu-west-1 "
                + "(available: eu-west-1a, eu-west-1b, eu-west-1c)"), r.err());
        CliRun types = upWith(demo() + "eks:\n  nodeGroups:\n    - name: system\n      instanceTypes: [m6i.large, x9.tiny]\n");
        assertEquals(1, types.exitCode(), types::toString);
        assertTrue(types.err().contains("eks.nodeGroups[0].instanceTypes: x9.tiny is not offered in eu-west-1a, eu-west-1b"), types.err());
        assertEquals(Map.of(), AwsCallLog.mutating(), "a failed preflight writes nothing");
    }

    @Test
    void aRefusedCallNamesTheActionTheResourceAndWhoWasRefused() {
        proxy.refuse("ec2:CreateVpc", 403, "text/xml", AwsProxy.ec2Error("UnauthorizedOperation",
                "You are not authorized to perform this operation."));
        CliRun r = upWith(demo());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("vpc: arn:aws:sts::123456789012:user/moto is not allowed to call ec2:CreateVpc "
                + "(UnauthorizedOperation: You are not authorized to perform this operation.): grant it that action"), r.err());
    }

    @Test
    void aQuotaSaysWhatToRaise() {
        proxy.refuse("ec2:AllocateAddress", 400, "text/xml", AwsProxy.ec2Error("AddressLimitExceeded",
                "The maximum number of addresses has been reached."));
        CliRun r = upWith(demo());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("elastic-ip/nat/eu-west-1a: ec2:AllocateAddress: a service quota is reached "
                + "(AddressLimitExceeded: The maximum number of addresses has been reached.): raise it in Service Quotas"), r.err());
    }

    @Test
    void withoutCredentialsUpChangesNothingAndSaysWhy() {
        Map<String, String> none = new java.util.HashMap<>(env);
        none.remove("AWS_ACCESS_KEY_ID");
        none.remove("AWS_SECRET_ACCESS_KEY");
        CliRun r = CliRun.run(none, "", upArgs("-f", Fixtures.platformFile(demo())));
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("cannot read the AWS account, so nothing was changed: no AWS credentials found"), r.err());
    }
}
