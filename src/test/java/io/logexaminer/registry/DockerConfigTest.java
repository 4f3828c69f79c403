package io.logexaminer.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logins from config.json: auths, credHelpers and credsStore, the helpers being real programs run as Docker runs them. */
class DockerConfigTest {
    @TempDir
    Path dir;

    private DockerConfig load(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return DockerConfig.load(Map.of("DOCKER_CONFIG", dir.toString(), "PATH", dir.toString()));
    }

    /** A credential helper that logs {@code user} in to {@code host} only, and records what it was asked. */
    private void helper(String name, String host, String user, String secret) throws IOException {
        Path program = dir.resolve("docker-credential-" + name);
        Files.writeString(program, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread server\necho \"$server\" >> " + dir.resolve(name + ".asked") + "\n"
                + "if [ \"$server\" = '" + host + "' ]; then printf '{\"ServerURL\":\"%s\",\"Username\":\"" + user + "\",\"Secret\":\"" + secret
                + "\"}' \"$server\"; else echo 'credentials not found in native keychain'; exit 1; fi\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void authsInEitherSpellingAndDockerHubUnderItsIndexKey() throws IOException {
        String auth = Base64.getEncoder().encodeToString("alice:s3cret:with:colons".getBytes(StandardCharsets.UTF_8));
        DockerConfig config = load("{\"auths\": {"
                + "\"https://index.docker.io/v1/\": {\"auth\": \"" + auth + "\"},"
                + "\"registry.example.com:5000\": {\"username\": \"bob\", \"password\": \"pw\"}}}");
        assertEquals(new Credentials("alice", "s3cret:with:colons"), config.lookup("docker.io").orElseThrow());
        assertEquals(new Credentials("bob", "pw"), config.lookup("registry.example.com:5000").orElseThrow());
        assertEquals(Optional.empty(), config.lookup("ghcr.io"));
    }

    @Test
    void aHostsCredentialHelperComesFirstAndTheStoreCatchesTheRest() throws IOException {
        helper("ecr-login", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", "from-helper");
        helper("store", "https://index.docker.io/v1/", "carol", "from-store");
        DockerConfig config = load("{\"credHelpers\": {\"123456789012.dkr.ecr.eu-west-1.amazonaws.com\": \"ecr-login\"},"
                + "\"credsStore\": \"store\", \"auths\": {\"ghcr.io\": {}}}");
        assertEquals(new Credentials("AWS", "from-helper"), config.lookup("123456789012.dkr.ecr.eu-west-1.amazonaws.com").orElseThrow());
        assertEquals(new Credentials("carol", "from-store"), config.lookup("docker.io").orElseThrow());
        assertEquals(Optional.empty(), config.lookup("ghcr.io"));
        config.lookup("docker.io");
        assertEquals(2, Files.readAllLines(dir.resolve("store.asked")).size(), "each host is asked for once");
    }

    @Test
    void aMissingHelperOrBrokenFileIsOneClearLine() throws IOException {
        DockerConfig missing = load("{\"credsStore\": \"desktop\"}");
        RegistryException e = assertThrows(RegistryException.class, () -> missing.lookup("docker.io"));
        assertTrue(e.getMessage().endsWith("names the credential helper desktop, but docker-credential-desktop is not on PATH"), e.getMessage());

        Files.writeString(dir.resolve("config.json"), "{not json");
        RegistryException broken = assertThrows(RegistryException.class,
                () -> DockerConfig.load(Map.of("DOCKER_CONFIG", dir.toString())));
        assertTrue(broken.getMessage().contains("config.json is not valid JSON"), broken.getMessage());

        assertEquals(Optional.empty(), DockerConfig.load(Map.of("HOME", dir.resolve("nobody").toString())).lookup("docker.io"));
    }
}
