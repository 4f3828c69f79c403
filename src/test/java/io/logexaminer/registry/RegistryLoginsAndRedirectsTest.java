package io.logexaminer.registry;

import io.logexaminer.config.ImageReference;
import io.logexaminer.testing.DockerRegistry;
import io.logexaminer.testing.FaultProxy;
import io.logexaminer.testing.TestImages;
import io.logexaminer.testing.TokenServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Logins as real registries ask for them: bearer tokens per scope from a token service (renewed when the registry
 * refuses one), Basic; and blob downloads redirected to another host, where the login must not follow.
 */
class RegistryLoginsAndRedirectsTest {
    @RegisterExtension
    @Order(1)
    static final TokenServer tokens = new TokenServer();
    @RegisterExtension
    @Order(2)
    static final DockerRegistry withTokens = DockerRegistry.withTokenAuth(tokens);
    @RegisterExtension
    static final DockerRegistry withBasic = DockerRegistry.withBasicAuth();
    @RegisterExtension
    static final DockerRegistry storage = DockerRegistry.anonymous();

    @TempDir
    Path work;

    private static CredentialSource login(String... hosts) {
        return host -> List.of(hosts).contains(host)
                ? Optional.of(new Credentials(DockerRegistry.USER, DockerRegistry.PASSWORD)) : Optional.empty();
    }

    private static RegistryClient client(String host, CredentialSource logins, HttpClient http) {
        return RegistryClient.connect(host, Optional.of(URI.create("http://" + host)), http, logins, Retry.standard());
    }

    private static ImageReference reference(String text) {
        return ImageReference.parse(text).reference().orElseThrow();
    }

    @Test
    void bearerTokensAreFetchedPerScopeAndRenewedWhenTheRegistryRefusesOne() throws Exception {
        TestImages.Pushed image = new TestImages(work).pushIndex(storage.host(), "apps/tokens:1", TestImages.Format.OCI,
                List.of(new TestImages.Image("amd64", new TestImages.Layer(81, 50_000)),
                        new TestImages.Image("arm64", new TestImages.Layer(82, 50_000))), Map.of("a", "b"));
        tokens.handOutExpired(1);
        try (HttpClient http = RegistryClient.newHttpClient()) {
            RegistryClient source = client(storage.host(), CredentialSource.ANONYMOUS, http);
            RegistryClient target = client(withTokens.host(), login(withTokens.host()), http);
            ImageCopier copier = new ImageCopier(() -> target, host -> source, 4, Optional.empty(), Retry.standard());
            ImageCopier.Target to = new ImageCopier.Target("mirrored/tokens", "1", () -> false);

            ImageCopier.Result result = copier.copy(reference(image.reference()), to, false, ImageCopier.Progress.NONE);
            assertEquals(ImageCopier.Status.COPIED, result.status());
            assertEquals(ImageCopier.Status.UP_TO_DATE,
                    copier.copy(reference(image.reference()), to, false, ImageCopier.Progress.NONE).status());
        }
        assertEquals(image.digest(), TestImages.rawDigest(withTokens.host() + "/mirrored/tokens:1", DockerRegistry.USER, DockerRegistry.PASSWORD));
        List<String> asked = tokens.requests().stream().filter(r -> r.contains("mirrored%2Ftokens") && !r.contains("account=")).toList();
        // The first token (for the first request, a HEAD: pull) came expired; the registry refused it and it was renewed.
        assertEquals(2, asked.stream().filter(r -> r.contains("scope=repository%3Amirrored%2Ftokens%3Apull&")
                || r.endsWith("scope=repository%3Amirrored%2Ftokens%3Apull with Basic")).count(), asked.toString());
        assertTrue(asked.stream().allMatch(r -> r.endsWith(" with Basic") && r.contains("service=" + TokenServer.SERVICE)), asked.toString());
        assertEquals(1, asked.stream().filter(r -> r.contains("scope=repository%3Amirrored%2Ftokens%3Apull%2Cpush")).count(),
                "one push token for all parallel uploads: " + asked);
    }

    @Test
    void blobsGoUpWhileTheRepositoryIsReadiedAndWaitWhereTheRegistryWantsItFirst() throws Exception {
        TestImages.Pushed image = new TestImages(work).push(storage.host(), "apps/early:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(85, 200_000), new TestImages.Layer(86, 1000)));
        try (FaultProxy ecrLike = new FaultProxy(storage.host(), 0); HttpClient http = RegistryClient.newHttpClient()) {
            ecrLike.repositoryMissing(true);
            RegistryClient source = client(storage.host(), CredentialSource.ANONYMOUS, http);
            RegistryClient target = client(ecrLike.host(), CredentialSource.ANONYMOUS, http);
            ImageCopier copier = new ImageCopier(() -> target, host -> source, 4, Optional.empty(), Retry.standard());
            ImageCopier.Target to = new ImageCopier.Target("created/late", "1", () -> {
                Thread.sleep(1000);
                ecrLike.repositoryMissing(false);
                return false;
            });

            ImageCopier.Result result = copier.copy(reference(image.reference()), to, false, ImageCopier.Progress.NONE);

            assertEquals(ImageCopier.Status.COPIED, result.status());
            assertEquals(image.blobs().size(), result.blobsCopied());
            assertTrue(ecrLike.refusedUploads() >= 1, "no upload started before the repository was ready");
        }
        assertEquals(image.digest(), TestImages.rawDigest(storage.host() + "/created/late:1"));
    }

    @Test
    void aLoopbackRegistryWithoutTlsIsProbedOnceWhateverTheParallelRequests() throws Exception {
        TestImages.Pushed image = new TestImages(work).push(storage.host(), "apps/probe:1", TestImages.Format.OCI,
                new TestImages.Image("amd64", new TestImages.Layer(87, 1000)));
        try (FaultProxy link = new FaultProxy(storage.host(), 0); HttpClient http = RegistryClient.newHttpClient()) {
            RegistryClient source = RegistryClient.connect(link.host(), Optional.empty(), http, login(), Retry.standard());
            List<Optional<String>> digests = parallelHeads(source, "apps/probe", "1", 6);
            assertEquals(java.util.Collections.nCopies(6, Optional.of(image.digest())), digests);
            assertEquals(1, link.tlsHandshakes(), "one hello found out that the registry speaks plain HTTP");
        }
    }

    @Test
    void parallelFirstRequestsRetryAfterTheir401WithoutNewConnections() throws Exception {
        TestImages.Pushed image = pushedWithBasicAuth("apps/first:1", new TestImages.Layer(88, 1000));
        try (HttpClient http = RegistryClient.newHttpClient()) {
            RegistryClient target = client(withBasic.host(), login(withBasic.host()), http);
            assertEquals(java.util.Collections.nCopies(6, Optional.of(image.digest())), parallelHeads(target, "apps/first", "1", 6));
        }
        // The registry logs each request with the client's address and port: a port is a connection.
        List<String> refusedOn = clientAddresses(withBasic.log(), "HEAD", "error authorizing context[^\"]*", "/v2/apps/first/manifests/1");
        List<String> answeredOn = clientAddresses(withBasic.log(), "HEAD", "response completed", "/v2/apps/first/manifests/1");
        assertFalse(refusedOn.isEmpty(), "the first requests went without a login, as the registry had not asked for one yet");
        assertEquals(6, answeredOn.size(), answeredOn.toString());
        // A retry may take any idle connection of the pool; a 401 that dropped its connection makes a seventh one.
        Set<String> connections = new HashSet<>(refusedOn);
        connections.addAll(answeredOn);
        assertTrue(connections.size() <= 6, "one connection at most per parallel request, none dropped after its 401: "
                + refusedOn + " " + answeredOn);
    }

    @Test
    void aRefusalWithABodyIsReadToItsEndSoThatItsConnectionServesTheRetry() throws Exception {
        TestImages.Pushed image = pushedWithBasicAuth("apps/drained:1", new TestImages.Layer(89, 1000));
        try (HttpClient http = RegistryClient.newHttpClient()) {
            RegistryClient target = client(withBasic.host(), login(withBasic.host()), http);
            assertEquals(image.digest(), target.getManifest("apps/drained", "1").digest());
        }
        List<String> refusedOn = clientAddresses(withBasic.log(), "GET", "error authorizing context[^\"]*", "/v2/apps/drained/manifests/1");
        List<String> answeredOn = clientAddresses(withBasic.log(), "GET", "response completed", "/v2/apps/drained/manifests/1");
        assertEquals(1, refusedOn.size(), refusedOn.toString());
        assertEquals(refusedOn, answeredOn, "the 401 (whose body says why) and the retry went on one connection");
    }

    @Test
    void requestsOneAfterAnotherShareOneConnection() throws Exception {
        TestImages.Pushed image = pushedWithBasicAuth("apps/reuse:1", new TestImages.Layer(90, 300_000));
        String layer = image.blobs().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        try (HttpClient http = RegistryClient.newHttpClient()) {
            RegistryClient target = client(withBasic.host(), login(withBasic.host()), http);
            for (int i = 0; i < 2; i++) {
                assertEquals(Optional.of(image.digest()), target.headManifest("apps/reuse", "1"));
                assertTrue(target.hasBlob("apps/reuse", layer));
            }
        }
        List<String> connections = new java.util.ArrayList<>(clientAddresses(withBasic.log(), "HEAD", "response completed",
                "/v2/apps/reuse/manifests/1"));
        connections.addAll(clientAddresses(withBasic.log(), "HEAD", "response completed", "/v2/apps/reuse/blobs/" + layer));
        assertEquals(4, connections.size(), connections.toString());
        assertEquals(1, connections.stream().distinct().count(), "HEADs, of a 300 KB blob too, kept their connection: " + connections);
    }

    /** A one-layer image pushed to the registry that wants Basic logins. */
    private TestImages.Pushed pushedWithBasicAuth(String reference, TestImages.Layer layer) {
        return new TestImages(work).loggedIn(DockerRegistry.USER, DockerRegistry.PASSWORD).push(withBasic.host(), reference,
                TestImages.Format.OCI, new TestImages.Image("amd64", layer));
    }

    /** The client address and port of each of this tool's {@code method} requests for {@code uri} the registry logged with {@code message}. */
    private static List<String> clientAddresses(String log, String method, String message, String uri) {
        Matcher m = Pattern.compile("msg=\"" + message + "\".*? http\\.request\\.method=" + method + " http\\.request\\.remoteaddr=\"([^\"]+)\" "
                + "http\\.request\\.uri=\"?" + Pattern.quote(uri) + "\"? http\\.request\\.useragent=logexaminer ").matcher(log);
        List<String> addresses = new java.util.ArrayList<>();
        while (m.find()) {
            addresses.add(m.group(1));
        }
        return addresses;
    }

    /** {@code n} HEAD requests for one manifest at once, each on its own thread. */
    private static List<Optional<String>> parallelHeads(RegistryClient registry, String repository, String tag, int n)
            throws InterruptedException {
        List<Thread> heads = new java.util.ArrayList<>();
        List<Optional<String>> digests = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            heads.add(Thread.ofVirtual().start(() -> {
                try {
                    digests.add(registry.headManifest(repository, tag));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : heads) {
            t.join();
        }
        return digests;
    }

    @Test
    void aBlobRedirectToAnotherHostCarriesNoAuthorization() throws Exception {
        TestImages.Image platform = new TestImages.Image("amd64", new TestImages.Layer(83, 300_000), new TestImages.Layer(84, 1000));
        TestImages.Pushed image = new TestImages(work).loggedIn(DockerRegistry.USER, DockerRegistry.PASSWORD)
                .push(withBasic.host(), "apps/redirected:1", TestImages.Format.DOCKER, platform);
        new TestImages(work).push(storage.host(), "apps/redirected:1", TestImages.Format.DOCKER, platform);
        try (FaultProxy front = new FaultProxy(withBasic.host(), 0);
             FaultProxy storageFront = new FaultProxy(storage.host(), 0);
             HttpClient http = RegistryClient.newHttpClient()) {
            front.redirectBlobsTo(storageFront.host());
            RegistryClient source = client(front.host(), login(front.host()), http);
            RegistryClient target = client(storage.host(), CredentialSource.ANONYMOUS, http);
            ImageCopier copier = new ImageCopier(() -> target, host -> source, 4, Optional.empty(), Retry.standard());

            ImageCopier.Result result = copier.copy(reference(front.host() + "/apps/redirected:1"),
                    new ImageCopier.Target("mirrored/redirected", "1", () -> false), false, ImageCopier.Progress.NONE);

            assertEquals(ImageCopier.Status.COPIED, result.status());
            assertEquals(image.digest(), result.digest());
            assertTrue(front.heads().stream().anyMatch(h -> h.startsWith("GET /v2/apps/redirected/manifests/") && h.contains("Authorization: Basic")),
                    front.heads().toString());
            List<String> redirected = storageFront.heads().stream().filter(h -> h.startsWith("GET /v2/apps/redirected/blobs/")).toList();
            // Every blob once, and the config once more for its platform.
            assertEquals(image.blobs().size() + 1, redirected.size(), storageFront.heads().toString());
            assertFalse(redirected.stream().anyMatch(h -> h.toLowerCase(java.util.Locale.ROOT).contains("authorization:")), redirected.toString());
        }
        assertEquals(image.digest(), TestImages.rawDigest(storage.host() + "/mirrored/redirected:1"));
    }
}
