package io.logexaminer.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real OCI distribution registry (Debian's docker-registry) on loopback for a test class, anonymous, with
 * htpasswd basic auth ({@link #USER}/{@link #PASSWORD}) standing in for ECR's registry, or with bearer tokens from a
 * {@link TokenServer}. Its request log is kept,
 * so tests can count what the tool uploaded.
 */
public final class DockerRegistry implements BeforeAllCallback, AfterAllCallback {
    public static final String USER = "mirror";
    public static final String PASSWORD = "mirror-secret";
    /** The second login it accepts: the one moto's ECR GetAuthorizationToken hands out. */
    public static final String ECR_USER = "AWS";
    public static final String ECR_PASSWORD = MotoServer.ACCOUNT + "-auth-token";

    private final boolean authenticated;
    private final TokenServer tokens;
    private boolean tls;
    private ServerProcess server;
    private Path dir;
    private Path storage;

    private DockerRegistry(boolean authenticated, TokenServer tokens) {
        this.authenticated = authenticated;
        this.tokens = tokens;
    }

    public static DockerRegistry anonymous() {
        return new DockerRegistry(false, null);
    }

    public static DockerRegistry withBasicAuth() {
        return new DockerRegistry(true, null);
    }

    /** A registry that trusts the tokens {@code tokens} signs, and sends clients there for them. */
    public static DockerRegistry withTokenAuth(TokenServer tokens) {
        return new DockerRegistry(true, tokens);
    }

    /**
     * An anonymous registry that serves HTTPS only, with a certificate for 127.0.0.1 made by openssl that nothing
     * trusts.
     */
    public static DockerRegistry withUntrustedTls() {
        DockerRegistry registry = new DockerRegistry(false, null);
        registry.tls = true;
        return registry;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path binary = TestBinaries.require("docker-registry");
        int port = ServerProcess.freePort();
        dir = Files.createTempDirectory("registry-");
        storage = dir.resolve("data");
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: info\n  accesslog:\n    disabled: false\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(storage).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        if (tls) {
            Path key = dir.resolve("key.pem");
            Path certificate = dir.resolve("certificate.pem");
            ServerProcess.runToEnd(TestBinaries.require("openssl").toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", certificate.toString());
            config.append("  tls:\n    certificate: ").append(certificate).append("\n    key: ").append(key).append('\n');
        }
        if (tokens != null) {
            config.append("auth:\n  token:\n    realm: ").append(tokens.realm()).append("\n    service: ").append(TokenServer.SERVICE)
                    .append("\n    issuer: ").append(TokenServer.ISSUER).append("\n    rootcertbundle: ").append(tokens.certificate())
                    .append('\n');
        } else if (authenticated) {
            Path htpasswd = dir.resolve("htpasswd");
            try (InputStream in = DockerRegistry.class.getResourceAsStream("/registry/htpasswd")) {
                Files.copy(in, htpasswd, StandardCopyOption.REPLACE_EXISTING);
            }
            config.append("auth:\n  htpasswd:\n    realm: logexaminer-test\n    path: ").append(htpasswd).append('\n');
        }
        Path configFile = dir.resolve("config.yml");
        Files.writeString(configFile, config);
        server = ServerProcess.start("registry", List.of(binary.toString(), "serve", configFile.toString()), Map.of(),
                port, dir, Duration.ofSeconds(30));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
        // Images pushed in tests and benchmarks reach gigabytes: the registry's files go with it.
        if (dir != null) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Forgets every image: the registry keeps nothing about them outside its storage, which is emptied. */
    public void clear() throws IOException {
        deleteTree(storage);
    }

    /** {@code 127.0.0.1:PORT}, the registry host as image references name it. */
    public String host() {
        return "127.0.0.1:" + server.port();
    }

    public String url() {
        return (tls ? "https://" : "http://") + host();
    }

    public boolean authenticated() {
        return authenticated;
    }

    /** The registry's own log: one access line per request, for counting uploads. */
    public String log() {
        return server.logText();
    }

    public Path storage() {
        return storage;
    }
}
