package io.logexaminer.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Reads the caller's account, the first thing every command that touches AWS needs. */
public final class AccountLookup {
    private final AwsClients clients;

    public AccountLookup(AwsClients clients) {
        this.clients = clients;
    }

    /** The caller's identity, or why it could not be read (no credentials, expired, unreachable). */
    public Result identify() {
        try {
            GetCallerIdentityResponse r = clients.sts().getCallerIdentity();
            return new Result(new CallerIdentity(r.account(), r.arn()), null);
        } catch (SdkException e) {
            return new Result(null, AwsErrors.describe(e));
        }
    }

    public record Result(CallerIdentity identity, String problem) {
        public boolean known() {
            return identity != null;
        }
    }
}
