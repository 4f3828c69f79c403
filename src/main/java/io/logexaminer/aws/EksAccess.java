package io.logexaminer.aws;

import io.logexaminer.error.OperationFailedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What a Kubernetes client needs from AWS to reach an EKS cluster, without the aws CLI: the cluster's endpoint and
 * CA from DescribeCluster, and the bearer token EKS accepts, a presigned STS GetCallerIdentity URL that names the
 * cluster in a signed {@code x-k8s-aws-id} header.
 */
public final class EksAccess {
    static final String TOKEN_PREFIX = "k8s-aws-v1.";
    static final String CLUSTER_ID_HEADER = "x-k8s-aws-id";
    /** What {@code aws eks get-token} signs with; EKS itself accepts the URL for 15 minutes after signing. */
    static final Duration URL_EXPIRY = Duration.ofSeconds(60);
    /** Handed out as valid for 14 minutes, one under what EKS accepts, as {@code aws eks get-token} does. */
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(14);
    /** A cached token is replaced this long before it expires, so no request leaves with one about to lapse. */
    static final Duration REFRESH_BEFORE = Duration.ofMinutes(1);

    /** An EKS cluster as a Kubernetes client sees it: its API endpoint and the base64 PEM of its CA. */
    public record Cluster(String name, String region, String endpoint, String certificateAuthority) {
    }

    /** A bearer token for one cluster and when EKS stops accepting it. */
    public record Token(String value, Instant expiresAt) {
    }

    private final AwsClients clients;
    private final Clock clock;
    private final Map<String, Token> tokens = new HashMap<>();

    public EksAccess(AwsClients clients) {
        this(clients, Clock.systemUTC());
    }

    EksAccess(AwsClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    /** The cluster's endpoint and CA; fails with one line when it does not exist or is not ready yet. */
    public Cluster describeCluster(String name) {
        String region = clients.settings().region();
        try {
            var cluster = clients.eks().describeCluster(r -> r.name(name)).cluster();
            if (cluster.endpoint() == null || cluster.certificateAuthority() == null
                    || cluster.certificateAuthority().data() == null) {
                throw new OperationFailedException("EKS cluster " + name + " in " + region + " has no endpoint yet (status "
                        + cluster.statusAsString() + "); run 'logexaminer up' and try again once it is ACTIVE");
            }
            return new Cluster(name, region, cluster.endpoint(), cluster.certificateAuthority().data());
        } catch (ResourceNotFoundException e) {
            throw new OperationFailedException("EKS cluster " + name + " does not exist in " + region
                    + "; 'logexaminer up' creates it");
        } catch (SdkException e) {
            throw new OperationFailedException("cannot read EKS cluster " + name + " in " + region + ": "
                    + AwsErrors.describe(e), e);
        }
    }

    /** A token for the cluster, the same one until shortly before it expires. */
    public synchronized Token token(String clusterName) {
        Token cached = tokens.get(clusterName);
        if (cached != null && clock.instant().isBefore(cached.expiresAt().minus(REFRESH_BEFORE))) {
            return cached;
        }
        Token fresh = newToken(clusterName);
        tokens.put(clusterName, fresh);
        return fresh;
    }

    private Token newToken(String clusterName) {
        AwsCredentialsIdentity credentials;
        try {
            credentials = clients.credentials().resolveIdentity().join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String problem = cause instanceof SdkException sdk ? AwsErrors.describe(sdk) : String.valueOf(cause.getMessage());
            throw new OperationFailedException("cannot make an EKS token: " + problem, e);
        }
        String region = clients.settings().region();
        Instant signedAt = clock.instant();
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(stsEndpoint(region) + "/"))
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_ID_HEADER, clusterName)
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, URL_EXPIRY)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, java.time.ZoneOffset.UTC)))
                .request();
        String url = signed.getUri().toString();
        String value = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
        return new Token(value, signedAt.plus(TOKEN_LIFETIME));
    }

    /** {@code AWS_ENDPOINT_URL_STS} or {@code AWS_ENDPOINT_URL} when set, else the regional STS endpoint EKS verifies against. */
    private String stsEndpoint(String region) {
        return clients.settings().endpointFor("STS").map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElseGet(() -> {
                    RegionMetadata metadata = RegionMetadata.of(Region.of(region));
                    return "https://sts." + region + "." + (metadata == null ? "amazonaws.com" : metadata.domain());
                });
    }
}
