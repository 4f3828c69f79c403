package io.logexaminer.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real moto server (all AWS services on one endpoint) for a test class:
 * {@code @RegisterExtension static final MotoServer moto = new MotoServer();}. {@link #environment()} gives the
 * variables that point the tool at it.
 */
public final class MotoServer implements BeforeAllCallback, AfterAllCallback {
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";
    /** moto's default account. */
    public static final String ACCOUNT = "123456789012";

    private ServerProcess server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path binary = TestBinaries.require("moto_server");
        int port = ServerProcess.freePort();
        Path dir = Files.createTempDirectory("moto-");
        server = ServerProcess.start("moto", List.of(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port)),
                Map.of("MOTO_IAM_LOAD_MANAGED_POLICIES", "true", "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY", SECRET_KEY),
                port, dir, Duration.ofSeconds(60));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Credentials, a region and {@code AWS_ENDPOINT_URL}: what the tool reads to talk to this server. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_ENDPOINT_URL", endpoint());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    /** Forgets every resource: moto's reset API. */
    public void reset() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IOException("moto reset answered " + r.statusCode());
            }
        }
    }

    public ServerProcess process() {
        return server;
    }
}
