package io.logexaminer.aws;

import io.logexaminer.testing.MotoServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** GetAuthorizationToken against moto server: the registry endpoint and the decoded login. */
class EcrAuthTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();

    @Test
    void decodesTheLoginAndNamesTheRegistry() {
        try (AwsClients clients = new AwsClients(new AwsSettings("eu-west-1", Optional.empty(), moto.environment()))) {
            EcrAuth.Token token = new EcrAuth(clients).authorize();
            assertEquals(MotoServer.ACCOUNT + ".dkr.ecr.eu-west-1.amazonaws.com", token.host());
            assertEquals("AWS", token.username());
            assertEquals(MotoServer.ACCOUNT + "-auth-token", token.password());
            assertEquals(2015, token.expiresAt().atZone(java.time.ZoneOffset.UTC).getYear());
            assertFalse(token.toString().contains(token.password()), token.toString());
        }
    }
}
