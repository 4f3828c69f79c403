package io.logexaminer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Logins from Docker's {@code config.json} ({@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}):
 * {@code credHelpers} for the host first, then {@code auths}, then the {@code credsStore} helper, as Docker reads them.
 * Helpers are the {@code docker-credential-NAME} programs on {@code PATH}.
 */
public final class DockerConfig implements CredentialSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The key Docker Hub logins are stored under. */
    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final JsonNode config;
    private final String path;
    private final Map<String, String> environment;
    /** Helpers are programs: each host is asked for once per run. */
    private final Map<String, Optional<Credentials>> found = new ConcurrentHashMap<>();

    private DockerConfig(JsonNode config, String path, Map<String, String> environment) {
        this.config = config;
        this.path = path;
        this.environment = environment;
    }

    /** The config file the environment points at; no file means no logins. An unreadable one is an error. */
    public static DockerConfig load(Map<String, String> environment) {
        Path file = location(environment);
        if (!Files.isRegularFile(file)) {
            return new DockerConfig(JSON.createObjectNode(), file.toString(), environment);
        }
        try {
            return new DockerConfig(JSON.readTree(file.toFile()), file.toString(), environment);
        } catch (IOException e) {
            throw RegistryException.permanent(file + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static Path location(Map<String, String> environment) {
        String dir = environment.get("DOCKER_CONFIG");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir, "config.json");
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".docker", "config.json");
    }

    @Override
    public Optional<Credentials> lookup(String host) {
        return found.computeIfAbsent(host, this::read);
    }

    private Optional<Credentials> read(String host) {
        String helper = config.path("credHelpers").path(host).asText("");
        if (helper.isEmpty() && isDockerHub(host)) {
            helper = config.path("credHelpers").path(DOCKER_HUB_KEY).asText("");
        }
        if (!helper.isEmpty()) {
            return fromHelper(helper, host);
        }
        Optional<Credentials> stored = fromAuths(host);
        if (stored.isPresent()) {
            return stored;
        }
        String store = config.path("credsStore").asText("");
        return store.isEmpty() ? Optional.empty() : fromHelper(store, host);
    }

    private Optional<Credentials> fromAuths(String host) {
        JsonNode auths = config.path("auths");
        for (Map.Entry<String, JsonNode> entry : auths.properties()) {
            String key = hostOf(entry.getKey());
            if (!key.equals(host) && !(isDockerHub(key) && isDockerHub(host))) {
                continue;
            }
            JsonNode auth = entry.getValue();
            String encoded = auth.path("auth").asText("");
            if (!encoded.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw RegistryException.permanent(path + ": auths." + entry.getKey() + ".auth is not base64");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw RegistryException.permanent(path + ": auths." + entry.getKey() + ".auth is not USER:PASSWORD");
                }
                return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
            }
            if (auth.hasNonNull("username") && auth.hasNonNull("password")) {
                return Optional.of(new Credentials(auth.get("username").asText(), auth.get("password").asText()));
            }
        }
        return Optional.empty();
    }

    /** Runs {@code docker-credential-NAME get} with the server on stdin; a host it does not know has no login. */
    private Optional<Credentials> fromHelper(String name, String host) {
        String program = "docker-credential-" + name;
        Path binary = onPath(program).orElseThrow(() -> RegistryException.permanent(
                path + " names the credential helper " + name + ", but " + program + " is not on PATH"));
        try {
            Process process = new ProcessBuilder(binary.toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write((isDockerHub(host) ? DOCKER_HUB_KEY : host).getBytes(StandardCharsets.UTF_8));
            }
            byte[] output;
            try (InputStream stdout = process.getInputStream()) {
                output = stdout.readAllBytes();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw RegistryException.permanent(program + " did not answer within 30s");
            }
            if (process.exitValue() != 0) {
                return Optional.empty();
            }
            JsonNode answer = JSON.readTree(output);
            String user = answer.path("Username").asText("");
            String secret = answer.path("Secret").asText("");
            return secret.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, secret));
        } catch (IOException e) {
            throw RegistryException.permanent(program + " failed: " + firstLine(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.permanent(program + " was interrupted");
        }
    }

    private Optional<Path> onPath(String program) {
        String pathVariable = environment.getOrDefault("PATH", "");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }

    /** {@code https://host:port/v1/} and friends as the bare {@code host:port}. */
    static String hostOf(String key) {
        String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    static boolean isDockerHub(String host) {
        return host.equals("docker.io") || host.equals("index.docker.io") || host.equals("registry-1.docker.io");
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
