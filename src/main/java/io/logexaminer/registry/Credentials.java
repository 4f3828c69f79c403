package io.logexaminer.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registry login. Never printed: {@link #toString} hides the secret. */
public record Credentials(String username, String secret) {

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", secret hidden]";
    }
}
