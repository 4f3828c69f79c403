package io.logexaminer.aws;

/** Who the credentials belong to, as STS GetCallerIdentity says. */
public record CallerIdentity(String account, String arn) {
}
