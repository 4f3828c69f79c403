package io.logexaminer.aws;

import io.logexaminer.error.OperationFailedException;
import io.logexaminer.testing.ManualClock;
import io.logexaminer.testing.MotoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EKS token and DescribeCluster against moto server. */
class EksAccessTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();

    private static final String REGION = "eu-west-1";

    @BeforeAll
    static void createCluster() {
        try (AwsClients clients = clients()) {
            clients.eks().createCluster(r -> r.name("demo").roleArn("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/eks")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-1", "subnet-2")));
        }
    }

    private static AwsClients clients() {
        return new AwsClients(new AwsSettings(REGION, Optional.empty(), moto.environment()));
    }

    @Test
    void tokenIsAPresignedGetCallerIdentityUrlNamingTheCluster() throws Exception {
        try (AwsClients clients = clients()) {
            EksAccess.Token token = new EksAccess(clients).token("demo");
            assertTrue(token.value().startsWith("k8s-aws-v1."), token.value());
            String encoded = token.value().substring("k8s-aws-v1.".length());
            assertFalse(encoded.contains("="), "no padding");
            assertTrue(encoded.matches("[A-Za-z0-9_-]+"), "base64url alphabet");
            String url = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            Map<String, String> query = query(URI.create(url));
            assertTrue(url.startsWith(moto.endpoint() + "/?"), url);
            assertEquals("GetCallerIdentity", query.get("Action"));
            assertEquals("2011-06-15", query.get("Version"));
            assertEquals("AWS4-HMAC-SHA256", query.get("X-Amz-Algorithm"));
            assertEquals("60", query.get("X-Amz-Expires"));
            assertTrue(query.get("X-Amz-Credential").matches(MotoServer.ACCESS_KEY + "/\\d{8}/" + REGION + "/sts/aws4_request"),
                    query.get("X-Amz-Credential"));
            assertEquals("host;x-k8s-aws-id", query.get("X-Amz-SignedHeaders"));
            assertTrue(query.get("X-Amz-Signature").matches("[0-9a-f]{64}"));

            // What EKS does with the token: call STS with the URL and the signed header. moto picks the service from
            // an Authorization header's credential scope, so the same scope, taken from the URL, goes in one.
            String scope = "AWS4-HMAC-SHA256 Credential=" + query.get("X-Amz-Credential") + ", SignedHeaders="
                    + query.get("X-Amz-SignedHeaders") + ", Signature=" + query.get("X-Amz-Signature");
            HttpResponse<String> response = get(URI.create(url), Map.of("x-k8s-aws-id", "demo", "Authorization", scope));
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("<Account>" + MotoServer.ACCOUNT + "</Account>"), response.body());
        }
    }

    @Test
    void tokenIsCachedUntilAMinuteBeforeItsFourteenMinutesRunOut() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
        try (AwsClients clients = clients()) {
            EksAccess eks = new EksAccess(clients, clock);
            EksAccess.Token first = eks.token("demo");
            assertEquals(Instant.parse("2026-01-01T10:14:00Z"), first.expiresAt());
            assertTrue(first.value().length() > 100);
            String date = query(decode(first)).get("X-Amz-Date");
            assertEquals("20260101T100000Z", date);

            clock.advance(Duration.ofMinutes(12).plusSeconds(59));
            assertEquals(first, eks.token("demo"), "still the cached token");
            assertNotEquals(first.value(), eks.token("other").value(), "one token per cluster");

            clock.advance(Duration.ofSeconds(2));
            EksAccess.Token second = eks.token("demo");
            assertNotEquals(first.value(), second.value());
            assertEquals(Instant.parse("2026-01-01T10:27:01Z"), second.expiresAt());
            assertEquals("20260101T101301Z", query(decode(second)).get("X-Amz-Date"));
        }
    }

    @Test
    void withoutAnEndpointOverrideTheTokenNamesTheRegionalStsEndpoint() {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.remove("AWS_ENDPOINT_URL");
        try (AwsClients clients = new AwsClients(new AwsSettings(REGION, Optional.empty(), env))) {
            URI url = decode(new EksAccess(clients).token("demo"));
            assertEquals("sts." + REGION + ".amazonaws.com", url.getHost());
            assertEquals("https", url.getScheme());
        }
    }

    @Test
    void describeClusterGivesTheEndpointAndCa() {
        try (AwsClients clients = clients()) {
            EksAccess.Cluster cluster = new EksAccess(clients).describeCluster("demo");
            assertEquals("demo", cluster.name());
            assertEquals(REGION, cluster.region());
            assertTrue(cluster.endpoint().startsWith("https://"), cluster.endpoint());
            assertFalse(cluster.certificateAuthority().isBlank());
        }
    }

    @Test
    void aMissingClusterIsOneClearLine() {
        try (AwsClients clients = clients()) {
            OperationFailedException e = assertThrows(OperationFailedException.class,
                    () -> new EksAccess(clients).describeCluster("nope"));
            assertEquals("EKS cluster nope does not exist in " + REGION + "; 'logexaminer up' creates it", e.getMessage());
        }
    }

    private static HttpResponse<String> get(URI url, Map<String, String> headers) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url);
            headers.forEach(request::header);
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static URI decode(EksAccess.Token token) {
        return URI.create(new String(Base64.getUrlDecoder().decode(token.value().substring("k8s-aws-v1.".length())),
                StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
