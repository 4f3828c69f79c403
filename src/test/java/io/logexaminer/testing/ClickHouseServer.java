package io.logexaminer.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real ClickHouse engine (chdb, from {@code .test-env/venv}) behind ClickHouse's HTTP interface on loopback, for a
 * test class: {@code @RegisterExtension static final ClickHouseServer clickhouse = new ClickHouseServer();}. It
 * accepts user {@link #USER} with password {@link #PASSWORD}; its data lives in a temporary directory.
 */
public final class ClickHouseServer implements BeforeAllCallback, AfterAllCallback {
    public static final String USER = "default";
    public static final String PASSWORD = "chdb-test-secret";

    private ServerProcess server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path python = TestBinaries.require("python3");
        int port = ServerProcess.freePort();
        Path dir = Files.createTempDirectory("chdb-");
        Path script = dir.resolve("chdb_http_server.py");
        try (InputStream in = ClickHouseServer.class.getResourceAsStream("/clickhouse/chdb_http_server.py")) {
            Files.copy(in, script);
        }
        server = ServerProcess.start("chdb", List.of(python.toString(), script.toString(), "--port", String.valueOf(port),
                        "--data", dir.resolve("data").toString(), "--user", USER, "--password", PASSWORD),
                Map.of("PYTHONUNBUFFERED", "1"), port, dir, Duration.ofSeconds(60));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** {@code http://127.0.0.1:PORT}, as {@code --endpoint} takes it. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Where it listens, for a test cluster to route a pod's port to. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    /** What the tool reads to authenticate against this server. */
    public Map<String, String> environment() {
        return Map.of("CLICKHOUSE_PASSWORD", PASSWORD);
    }

    /** Runs {@code sql} over HTTP, as curl would, and returns the body; a ClickHouse error fails with its text. */
    public String query(String sql) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("ClickHouse answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }
    }
}
