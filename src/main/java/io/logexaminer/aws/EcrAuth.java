package io.logexaminer.aws;

import io.logexaminer.error.OperationFailedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** The account's ECR registry and a login for it, from GetAuthorizationToken. */
public final class EcrAuth {

    /**
     * A registry login. {@code expiresAt} is what ECR says; callers decide what to make of one already past
     * (emulators answer with a fixed date in 2015).
     */
    public record Token(URI endpoint, String username, String password, Instant expiresAt) {
        /** {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}: the registry as image references name it. */
        public String host() {
            return endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
        }

        @Override
        public String toString() {
            return "Token[" + endpoint + ", " + username + ", password hidden, expires " + expiresAt + "]";
        }
    }

    private final AwsClients clients;

    public EcrAuth(AwsClients clients) {
        this.clients = clients;
    }

    /** A fresh login for the caller's default registry. */
    public Token authorize() {
        try {
            List<AuthorizationData> data = clients.ecr().getAuthorizationToken(r -> { }).authorizationData();
            if (data.isEmpty()) {
                throw new OperationFailedException("ECR GetAuthorizationToken returned no authorization data");
            }
            AuthorizationData d = data.getFirst();
            String decoded = new String(Base64.getDecoder().decode(d.authorizationToken()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new OperationFailedException("ECR GetAuthorizationToken returned a token that is not USER:PASSWORD");
            }
            return new Token(URI.create(d.proxyEndpoint()), decoded.substring(0, colon), decoded.substring(colon + 1),
                    d.expiresAt() == null ? Instant.MAX : d.expiresAt());
        } catch (IllegalArgumentException e) {
            throw new OperationFailedException("ECR GetAuthorizationToken returned a token that is not base64");
        } catch (SdkException e) {
            throw new OperationFailedException("could not get an ECR login: " + AwsErrors.describe(e), e);
        }
    }
}
