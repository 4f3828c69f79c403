package io.logexaminer.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The AWS SDK clients, built once per command on one shared url-connection HTTP client, each pointed at
 * {@code AWS_ENDPOINT_URL} when it is set.
 */
public final class AwsClients implements AutoCloseable {
    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Lazy<StsClient> sts;

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        this.credentials = credentialsProvider(settings);
        this.sts = new Lazy<>(() -> configure(StsClient.builder(), "STS").build());
    }

    public AwsSettings settings() {
        return settings;
    }

    public StsClient sts() {
        return sts.get();
    }

    /** Applies the shared HTTP client, region, credentials and endpoint override to any service's builder. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String serviceId) {
        builder.region(Region.of(settings.region()))
                .credentialsProvider(credentials);
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
