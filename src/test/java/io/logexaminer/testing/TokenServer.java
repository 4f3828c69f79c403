package io.logexaminer.testing;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token service of a registry that uses bearer tokens (docker-registry's {@code auth: token}): it signs JWTs
 * with a key and certificate made by keytool, granting what each scope asks ({@code pull} to anyone, {@code push}
 * only with the {@link DockerRegistry#USER} login). It can hand out tokens already expired, to make the registry
 * refuse them. Register it before the registry that trusts it.
 */
public final class TokenServer implements AfterAllCallback {
    public static final String SERVICE = "logexaminer-test-registry";
    public static final String ISSUER = "logexaminer-test-issuer";

    private final HttpServer server;
    private final Path certificate;
    private final PrivateKey key;
    private final String chain;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger expiredToHandOut = new AtomicInteger();

    public TokenServer() {
        try {
            Path dir = Files.createTempDirectory("token-server-");
            Path keystore = dir.resolve("issuer.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            ServerProcess.runToEnd(keytool, "-genkeypair", "-alias", "issuer", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + ISSUER,
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
            certificate = dir.resolve("issuer.pem");
            ServerProcess.runToEnd(keytool, "-exportcert", "-rfc", "-alias", "issuer", "-keystore", keystore.toString(), "-storepass", "changeit",
                    "-file", certificate.toString());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, "changeit".toCharArray());
            }
            key = (PrivateKey) ks.getKey("issuer", "changeit".toCharArray());
            Certificate cert = ks.getCertificate("issuer");
            chain = Base64.getEncoder().encodeToString(cert.getEncoded());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the token server", e);
        }
        server.createContext("/token", exchange -> {
            String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(query + (authorization == null ? "" : " with " + authorization.split(" ")[0]));
            boolean loggedIn = ("Basic " + Base64.getEncoder().encodeToString((DockerRegistry.USER + ":" + DockerRegistry.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8))).equals(authorization);
            if (authorization != null && !loggedIn) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            List<String> access = new ArrayList<>();
            for (String part : query.split("&")) {
                if (part.startsWith("scope=")) {
                    String[] scope = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8).split(":");
                    List<String> actions = new ArrayList<>();
                    for (String action : scope[2].split(",")) {
                        if (action.equals("pull") || loggedIn) {
                            actions.add("\"" + action + "\"");
                        }
                    }
                    access.add("{\"type\":\"" + scope[0] + "\",\"name\":\"" + scope[1] + "\",\"actions\":[" + String.join(",", actions) + "]}");
                }
            }
            long now = Instant.now().getEpochSecond();
            long expires = expiredToHandOut.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? now - 600 : now + 600;
            String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + (loggedIn ? DockerRegistry.USER : "") + "\",\"aud\":\"" + SERVICE
                    + "\",\"exp\":" + expires + ",\"nbf\":" + (now - 1200) + ",\"iat\":" + (now - 1200) + ",\"jti\":\"" + UUID.randomUUID()
                    + "\",\"access\":[" + String.join(",", access) + "]}";
            byte[] body = ("{\"token\":\"" + sign(claims) + "\",\"expires_in\":3600}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private String sign(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + chain + "\"]}";
        String content = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(content.getBytes(StandardCharsets.US_ASCII));
            return content + "." + b64.encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code n} tokens are expired when handed out. */
    public void handOutExpired(int n) {
        expiredToHandOut.set(n);
    }

    /** Every token request's query, and {@code with Basic} when it carried a login. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public Path certificate() {
        return certificate;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop(0);
    }
}
