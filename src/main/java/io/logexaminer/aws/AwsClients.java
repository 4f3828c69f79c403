package io.logexaminer.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The AWS SDK clients, built once per command on one shared url-connection HTTP client, each pointed at
 * {@code AWS_ENDPOINT_URL} when it is set.
 */
public final class AwsClients implements AutoCloseable {
    /**
     * Throttling and 5xx answers are retried with jittered exponential backoff, more often than the SDK's default of
     * three attempts because one {@code up} makes hundreds of calls; no circuit breaker, so a burst of errors does not
     * turn retryable calls into failures.
     */
    private static final RetryStrategy RETRIES = AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(10)
            .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
            .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(20)))
            .circuitBreakerEnabled(false)
            .build();

    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Lazy<StsClient> sts;
    private final Lazy<Ec2Client> ec2;
    private final Lazy<EksClient> eks;
    private final Lazy<IamClient> iam;
    private final Lazy<S3Client> s3;
    private final Lazy<EcrClient> ecr;
    private final Lazy<SecretsManagerClient> secretsManager;
    private final Lazy<RdsClient> rds;
    private final Lazy<ElasticLoadBalancingV2Client> elbv2;
    private final Lazy<ElasticLoadBalancingClient> elb;
    private final Lazy<AutoScalingClient> autoScaling;

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        this.credentials = credentialsProvider(settings);
        this.sts = new Lazy<>(() -> configure(StsClient.builder(), "STS").build());
        this.ec2 = new Lazy<>(() -> configure(Ec2Client.builder(), "EC2").build());
        this.eks = new Lazy<>(() -> configure(EksClient.builder(), "EKS").build());
        this.iam = new Lazy<>(() -> configure(IamClient.builder(), "IAM").build());
        this.s3 = new Lazy<>(() -> configure(S3Client.builder(), "S3").forcePathStyle(forcePathStyle()).build());
        this.ecr = new Lazy<>(() -> configure(EcrClient.builder(), "ECR").build());
        this.secretsManager = new Lazy<>(() -> configure(SecretsManagerClient.builder(), "Secrets Manager").build());
        this.rds = new Lazy<>(() -> configure(RdsClient.builder(), "RDS").build());
        this.elbv2 = new Lazy<>(() -> configure(ElasticLoadBalancingV2Client.builder(), "Elastic Load Balancing v2").build());
        this.elb = new Lazy<>(() -> configure(ElasticLoadBalancingClient.builder(), "Elastic Load Balancing").build());
        this.autoScaling = new Lazy<>(() -> configure(AutoScalingClient.builder(), "Auto Scaling").build());
    }

    public AwsSettings settings() {
        return settings;
    }

    /** The credentials every client signs with, for requests signed outside a client (presigned URLs). */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public StsClient sts() {
        return sts.get();
    }

    public Ec2Client ec2() {
        return ec2.get();
    }

    public EksClient eks() {
        return eks.get();
    }

    public IamClient iam() {
        return iam.get();
    }

    public S3Client s3() {
        return s3.get();
    }

    public EcrClient ecr() {
        return ecr.get();
    }

    public SecretsManagerClient secretsManager() {
        return secretsManager.get();
    }

    public RdsClient rds() {
        return rds.get();
    }

    public ElasticLoadBalancingV2Client elbv2() {
        return elbv2.get();
    }

    public ElasticLoadBalancingClient elb() {
        return elb.get();
    }

    public AutoScalingClient autoScaling() {
        return autoScaling.get();
    }

    /** Path-style S3 addressing when an endpoint override is set: emulators and local endpoints have no per-bucket host names. */
    private boolean forcePathStyle() {
        return settings.endpointFor("S3").isPresent();
    }

    /** Applies the shared HTTP client, region, credentials and endpoint override to any service's builder. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String serviceId) {
        builder.region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(RETRIES).addExecutionInterceptor(OperationNames.INSTANCE));
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http);
        }
        settings.endpointFor(serviceId).ifPresent(url -> builder.endpointOverride(URI.create(url)));
        return builder;
    }

    /**
     * Keys from the environment map first (so tests and CI steps can set them per process), then the named
     * profile, then the SDK's default chain (SSO, web identity, container and instance roles).
     */
    private static AwsCredentialsProvider credentialsProvider(AwsSettings settings) {
        String key = settings.environment().get("AWS_ACCESS_KEY_ID");
        String secret = settings.environment().get("AWS_SECRET_ACCESS_KEY");
        String token = settings.environment().get("AWS_SESSION_TOKEN");
        if (key != null && !key.isBlank() && secret != null && !secret.isBlank()) {
            return StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(key, secret)
                    : AwsSessionCredentials.create(key, secret, token));
        }
        if (settings.profile().isPresent()) {
            return ProfileCredentialsProvider.create(settings.profile().get());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void close() {
        sts.ifCreated(StsClient::close);
        ec2.ifCreated(Ec2Client::close);
        eks.ifCreated(EksClient::close);
        iam.ifCreated(IamClient::close);
        s3.ifCreated(S3Client::close);
        ecr.ifCreated(EcrClient::close);
        secretsManager.ifCreated(SecretsManagerClient::close);
        rds.ifCreated(RdsClient::close);
        elbv2.ifCreated(ElasticLoadBalancingV2Client::close);
        elb.ifCreated(ElasticLoadBalancingClient::close);
        autoScaling.ifCreated(AutoScalingClient::close);
        http.close();
    }

    /** A client made on first use, so a command pays only for the services it calls. */
    static final class Lazy<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = factory.get();
                        value = v;
                    }
                }
            }
            return v;
        }

        void ifCreated(java.util.function.Consumer<T> action) {
            T v = value;
            if (v != null) {
                action.accept(v);
            }
        }
    }
}
