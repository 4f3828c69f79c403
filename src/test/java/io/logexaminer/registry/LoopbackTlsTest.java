package io.logexaminer.registry;

import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.FaultProxy;
import io.logexaminer.testing.ServerProcess;
import io.logexaminer.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the tool finds out whether a loopback registry speaks TLS, against real registries of both kinds. */
class LoopbackTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final DockerRegistry plain = DockerRegistry.anonymous();
    @RegisterExtension
    static final DockerRegistry tls = DockerRegistry.withUntrustedTls();

    @TempDir
    Path work;

    @Test
    void aRegistryServingHttpsAnswersTheHelloWithTls() throws InterruptedException {
        assertEquals(TlsSniff.Answer.TLS, TlsSniff.ask("127.0.0.1", port(tls), TIMEOUT));
    }

    @Test
    void aRegistryServingPlainHttpAnswersTheHelloWithHttp() throws InterruptedException {
        assertEquals(TlsSniff.Answer.PLAIN, TlsSniff.ask("127.0.0.1", port(plain), TIMEOUT));
    }

    @Test
    void aClosedPortOrAServerThatHangsUpLeavesTheQuestionOpen() throws Exception {
        assertEquals(TlsSniff.Answer.UNKNOWN, TlsSniff.ask("127.0.0.1", ServerProcess.freePort(), TIMEOUT));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread hangUp = Thread.ofVirtual().start(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getInputStream().readNBytes(5);
                } catch (java.io.IOException ignored) {
                    // the sniff's own connection error is what is under test
                }
            });
            assertEquals(TlsSniff.Answer.UNKNOWN, TlsSniff.ask("127.0.0.1", server.getLocalPort(), TIMEOUT));
            hangUp.join();
        }
    }

    @Test
    void aPlainLoopbackRegistryIsReadWithoutAnyTlsHandshake() throws Exception {
        String digest = new TestImages(work).push(plain.host(), "apps/sniffed:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(91, 1000))).digest();
        try (FaultProxy link = new FaultProxy(plain.host(), 0); HttpClient http = RegistryClient.newHttpClient()) {
            RegistryClient client = RegistryClient.connect(link.host(), Optional.empty(), http, CredentialSource.ANONYMOUS, Retry.standard());
            assertEquals(Optional.of(digest), client.headManifest("apps/sniffed", "1"));
            assertEquals(Optional.of(digest), client.headManifest("apps/sniffed", "1"));
            assertEquals(1, link.tlsHandshakes(), "only the sniff's hello went to the registry; no request tried TLS");
        }
    }

    @Test
    void aLoopbackRegistrySpeakingTlsIsNeverDowngradedToPlainHttp() throws Exception {
        try (HttpClient http = RegistryClient.newHttpClient()) {
            RegistryClient client = RegistryClient.connect(tls.host(), Optional.empty(), http, CredentialSource.ANONYMOUS, Retry.standard());
            RegistryException refused = assertThrows(RegistryException.class, () -> client.headManifest("apps/any", "1"));
            assertTrue(refused.getMessage().contains("certification path") || refused.getMessage().contains("PKIX"),
                    "the untrusted certificate is the error, not a plain HTTP request to a TLS port: " + refused.getMessage());
        }
        assertTrue(tls.log().contains("TLS handshake error"), "the registry saw a TLS handshake from the tool");
    }

    private static int port(DockerRegistry registry) {
        return Integer.parseInt(registry.host().substring(registry.host().lastIndexOf(':') + 1));
    }
}
